// Read models for the registry-style pages: models, experiments, schedules, audit log.
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

export interface ScheduleRow {
  id: string;
  experiment: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  overlapPolicy: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
}

export async function listSchedules(): Promise<ScheduleRow[]> {
  const rows = await db().schedule.findMany({
    orderBy: { createdAt: "asc" },
    include: { experiment: { select: { name: true } } },
  });
  return rows.map((schedule) => ({
    id: schedule.id,
    experiment: schedule.experiment.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    enabled: schedule.enabled,
    overlapPolicy: schedule.overlapPolicy,
    nextRunAt: schedule.nextRunAt?.toISOString() ?? null,
    lastRunAt: schedule.lastRunAt?.toISOString() ?? null,
  }));
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
