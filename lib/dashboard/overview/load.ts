// Read models for the dashboard's overview and list pages. Server-only: returns plain,
// serialisable objects (no Prisma types, no BigInt) that pages pass straight to components.
import "server-only";
import { describeError } from "../../../kernel/errors";
import { listFaults } from "../../chaos/control";
import { db } from "../../db/client";
import type { RunVerdict } from "../../runner/run-record";
import { REPORTED_RUN_STATUSES } from "../../runner/run-status";
import { type ActiveFaultView, summariseFault } from "../faults/leases";
import { listedVerdict } from "../run-verdict";
import type { TrendRun } from "./trend";

export type { RunVerdict };

export interface RunRow {
  id: string;
  experiment: string;
  status: string;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /**
   * The candidate's SLO verdict once the run has been judged (`invalid` when its data cannot
   * support one); null before (or when it errored).
   */
  verdict: RunVerdict | null;
  /** The load generator fell behind: the run's latency figures are not trustworthy. */
  latencyInvalid: boolean;
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

/** Finished runs with a report. */
const FINISHED = REPORTED_RUN_STATUSES;
/**
 * Runs whose verdict stands on valid data: the resilience trend plots only these. An invalid or
 * aborted run's score speaks for the phases that could be judged, not for the drill.
 */
const JUDGED = ["passed", "failed"] as const;

export async function listRuns(take: number, where: { finishedOnly?: boolean } = {}): Promise<RunRow[]> {
  const rows = await db().run.findMany({
    take,
    orderBy: { createdAt: "desc" },
    where: where.finishedOnly ? { status: { in: [...FINISHED] } } : undefined,
    select: {
      id: true,
      status: true,
      trigger: true,
      createdAt: true,
      startedAt: true,
      endedAt: true,
      verdict: true,
      latencyInvalid: true,
      experiment: { select: { name: true } },
    },
  });
  return rows.map((run) => ({
    id: run.id,
    experiment: run.experiment.name,
    status: run.status,
    trigger: run.trigger,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    endedAt: run.endedAt?.toISOString() ?? null,
    verdict: listedVerdict(run.status, run.verdict),
    latencyInvalid: run.latencyInvalid,
  }));
}

export interface ActiveFaults {
  halted: boolean;
  faults: ActiveFaultView[];
  /** When the chaos runtime could not be read: the section says so instead of "no faults". */
  error: string | null;
}

/** The chaos runtime's state, as GET /api/v1/faults reports it (the runtime lives in this process). */
export async function getActiveFaults(): Promise<ActiveFaults> {
  try {
    const { halted, faults } = await listFaults();
    return { halted, faults: faults.map(summariseFault), error: null };
  } catch (error) {
    return { halted: false, faults: [], error: describeError(error) };
  }
}

/**
 * The finished runs the resilience trend is drawn from, newest first (at most `limit`). The report
 * comes without its bulky parts (per-phase rows, comparisons, per-item tallies), still in its own
 * shape, so the trend reads it through the run record like any other reader.
 */
export async function listTrendRuns(limit = 200): Promise<TrendRun[]> {
  const rows = await db().$queryRaw<
    Array<{ id: string; experiment: string; ended_at: Date; summary: unknown }>
  >`
    SELECT r.id::text AS id, e.name AS experiment, r.ended_at,
           r.summary
             || jsonb_build_object(
                  'phases', '[]'::jsonb,
                  'comparisons', '[]'::jsonb,
                  'targets', coalesce(
                    (SELECT jsonb_agg(t.value - 'itemTallies' ORDER BY t.n)
                     FROM jsonb_array_elements(r.summary->'targets') WITH ORDINALITY AS t(value, n)),
                    '[]'::jsonb)
                ) AS summary
    FROM runs r JOIN experiments e ON e.id = r.experiment_id
    WHERE r.status::text = ANY(${[...JUDGED]}::text[])
      AND r.ended_at IS NOT NULL AND r.summary IS NOT NULL AND jsonb_typeof(r.summary->'targets') = 'array'
    ORDER BY r.ended_at DESC
    LIMIT ${limit}`;
  return rows.map((row) => ({
    runId: row.id,
    experiment: row.experiment,
    endedAt: row.ended_at.toISOString(),
    summary: row.summary,
  }));
}
