// Read models for the dashboard's overview and list pages. Server-only: returns plain,
// serialisable objects (no Prisma types, no BigInt) that pages pass straight to components.
import "server-only";
import { db } from "../db/client";

export interface RunRow {
  id: string;
  experiment: string;
  status: string;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface Overview {
  counts: { models: number; datasets: number; experiments: number; runs: number; schedules: number };
  latestRuns: RunRow[];
}

export async function getOverview(latest = 10): Promise<Overview> {
  const prisma = db();
  const [models, datasets, experiments, runs, schedules, latestRuns] = await Promise.all([
    prisma.modelVersion.count(),
    prisma.dataset.count(),
    prisma.experiment.count(),
    prisma.run.count(),
    prisma.schedule.count(),
    listRuns(latest),
  ]);
  return { counts: { models, datasets, experiments, runs, schedules }, latestRuns };
}

export async function listRuns(take: number, where: { finishedOnly?: boolean } = {}): Promise<RunRow[]> {
  const rows = await db().run.findMany({
    take,
    orderBy: { createdAt: "desc" },
    where: where.finishedOnly ? { status: { in: ["passed", "failed", "aborted"] } } : undefined,
    include: { experiment: { select: { name: true } } },
  });
  return rows.map((run) => ({
    id: run.id,
    experiment: run.experiment.name,
    status: run.status,
    trigger: run.trigger,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    endedAt: run.endedAt?.toISOString() ?? null,
  }));
}
