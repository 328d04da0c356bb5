// Read models for the registry-style pages: models, experiments, audit log (schedules: schedules.ts).
import "server-only";
import { db } from "../db/client";

export interface ExperimentRow {
  id: string;
  name: string;
  description: string;
  currentVersion: number;
  runs: number;
  updatedAt: string;
  /** The newest run of any version, or null when it never ran. */
  lastRun: { id: string; status: string; createdAt: string } | null;
}

export async function listExperiments(): Promise<ExperimentRow[]> {
  const rows = await db().experiment.findMany({
    orderBy: { name: "asc" },
    include: {
      _count: { select: { runs: true } },
      runs: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, createdAt: true } },
    },
  });
  return rows.map((experiment) => {
    const last = experiment.runs[0];
    return {
      id: experiment.id,
      name: experiment.name,
      description: experiment.description,
      currentVersion: experiment.currentVersion,
      runs: experiment._count.runs,
      updatedAt: experiment.updatedAt.toISOString(),
      lastRun: last ? { id: last.id, status: last.status, createdAt: last.createdAt.toISOString() } : null,
    };
  });
}

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  runId: string | null;
}

export async function listAuditEvents(take = 200): Promise<AuditRow[]> {
  const rows = await db().auditEvent.findMany({ take, orderBy: { at: "desc" } });
  return rows.map((event) => ({
    id: event.id,
    at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target,
    runId: event.runId,
  }));
}
