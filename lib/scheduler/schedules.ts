// Schedules: what the /api/v1/schedules routes and the dashboard do. Only the web process writes
// schedules; every write is mirrored into pg-boss (its schedule table is what fires) before it
// answers, and undone when pg-boss refuses. Workers handle the firings (schedules-fire.ts).
import "server-only";
import { AppError, describeError } from "../../kernel/errors";
import { writeAudit } from "../audit";
import { db } from "../db/client";
import { isUuid } from "../http/params";
import { maskUrl } from "../notify/redact";
import { removeScheduleJob, type ScheduleTiming, scheduleQueueName, syncScheduleJob } from "./queue";
import { describeCron, nextSlot } from "./schedules-cron";
import {
  invalidScheduleError,
  type OverlapPolicy,
  type ScheduleCreate,
  type SchedulePatch,
  type WebhookFormat,
} from "./schedules-input";
import { getQueue } from "./web-queue";

export interface FiringView {
  id: string;
  dueAt: string;
  firedAt: string;
  outcome: "queued" | "skipped" | "failed";
  runId: string | null;
  /** The run's status now, when the firing queued one that still exists. */
  runStatus: string | null;
  reason: string | null;
}

export interface ScheduleView {
  id: string;
  experimentId: string;
  experimentName: string;
  cron: string;
  timezone: string;
  /** The cron in words ("daily at 03:00 Europe/Berlin"), or null for uncommon shapes. */
  description: string | null;
  enabled: boolean;
  overlapPolicy: OverlapPolicy;
  nextRunAt: string | null;
  lastRunAt: string | null;
  /** The full URL for admins; only its origin for everyone else (Slack URLs are secrets). */
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  createdAt: string;
  updatedAt: string;
  lastFiring: FiringView | null;
}

export interface ViewOptions {
  /** Show webhook URLs in full (admins). */
  revealWebhooks?: boolean;
}

const firingSelect = {
  id: true,
  dueAt: true,
  firedAt: true,
  outcome: true,
  runId: true,
  reason: true,
} as const;

const scheduleInclude = {
  experiment: { select: { name: true } },
  firings: { orderBy: { dueAt: "desc" }, take: 1, select: firingSelect },
} as const;

export async function listSchedules(options: ViewOptions = {}): Promise<ScheduleView[]> {
  const rows = await db().schedule.findMany({ orderBy: { createdAt: "asc" }, include: scheduleInclude });
  const statuses = await runStatuses(rows.flatMap((row) => row.firings.map((firing) => firing.runId)));
  return rows.map((row) => toView(row, options, statuses));
}

export async function getSchedule(
  id: string,
  options: ViewOptions & { recentFirings?: number } = {},
): Promise<ScheduleView & { recentFirings: FiringView[] }> {
  const row = await findSchedule(id);
  const firings = await db().scheduleFiring.findMany({
    where: { scheduleId: row.id },
    orderBy: [{ dueAt: "desc" }, { id: "desc" }],
    take: options.recentFirings ?? 10,
    select: firingSelect,
  });
  const statuses = await runStatuses([...firings, ...row.firings].map((firing) => firing.runId));
  return { ...toView(row, options, statuses), recentFirings: firings.map((f) => toFiringView(f, statuses)) };
}

/** A page of a schedule's firings, newest due first; pass `nextCursor` back for the next page. */
export async function listFirings(
  id: string,
  page: { limit?: number; cursor?: string | null } = {},
): Promise<{ firings: FiringView[]; nextCursor: string | null }> {
  const schedule = await findSchedule(id);
  const limit = Math.min(200, Math.max(1, Math.trunc(page.limit ?? 50)));
  let cursor: { id: string } | undefined;
  if (page.cursor) {
    const anchor = isUuid(page.cursor)
      ? await db().scheduleFiring.findFirst({ where: { id: page.cursor, scheduleId: schedule.id } })
      : null;
    if (!anchor)
      throw new AppError("invalid_cursor", `cursor ${page.cursor} is not a firing of this schedule.`, 400);
    cursor = { id: anchor.id };
  }
  const rows = await db().scheduleFiring.findMany({
    where: { scheduleId: schedule.id },
    orderBy: [{ dueAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor, skip: 1 } : {}),
    select: firingSelect,
  });
  const pageRows = rows.slice(0, limit);
  const statuses = await runStatuses(pageRows.map((row) => row.runId));
  return {
    firings: pageRows.map((row) => toFiringView(row, statuses)),
    nextCursor: rows.length > limit ? (pageRows.at(-1)?.id ?? null) : null,
  };
}

export const scheduleNotFound = (id: string) =>
  new AppError("schedule_not_found", `No schedule has id ${id}.`, 404);

/** Creates a schedule from a parsed body (schedules-input.ts); `actor` is who, for the audit log. */
export async function createSchedule(input: ScheduleCreate, actor: string): Promise<ScheduleView> {
  const experimentId = await resolveExperiment(input);
  const row = await db().schedule.create({
    data: {
      experimentId,
      cron: input.cron,
      timezone: input.timezone,
      enabled: input.enabled,
      overlapPolicy: input.overlapPolicy,
      webhookUrl: input.webhookUrl ?? null,
      webhookFormat: input.webhookFormat,
      nextRunAt: input.enabled ? nextSlot(input.cron, input.timezone, new Date()) : null,
    },
  });
  try {
    await syncScheduleJob(await getQueue(), row);
  } catch (error) {
    await db()
      .schedule.delete({ where: { id: row.id } })
      .catch(() => {});
    throw queueUnavailable(error);
  }
  await audit(actor, "schedule.create", row.id, {
    experimentId,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    overlapPolicy: row.overlapPolicy,
  });
  return toView(await findSchedule(row.id), { revealWebhooks: true }, new Map());
}

/** Changes what the parsed patch gives (schedules-input.ts); `actor` is who, for the audit log. */
export async function updateSchedule(id: string, patch: SchedulePatch, actor: string): Promise<ScheduleView> {
  const before = await findSchedule(id);
  const experimentId =
    patch.experimentId !== undefined || patch.experimentName !== undefined
      ? await resolveExperiment(patch)
      : before.experimentId;
  const timing: ScheduleTiming = {
    id: before.id,
    cron: patch.cron ?? before.cron,
    timezone: patch.timezone ?? before.timezone,
    enabled: patch.enabled ?? before.enabled,
  };
  // The next run moves only when the timing does; an edit of anything else keeps the slot that is
  // due next (a worker ignores firings due before it, see schedules-fire.ts).
  const retimed =
    timing.cron !== before.cron || timing.timezone !== before.timezone || (timing.enabled && !before.enabled);
  const data = {
    experimentId,
    cron: timing.cron,
    timezone: timing.timezone,
    enabled: timing.enabled,
    overlapPolicy: patch.overlapPolicy ?? before.overlapPolicy,
    webhookUrl: patch.webhookUrl === undefined ? before.webhookUrl : patch.webhookUrl,
    webhookFormat: patch.webhookFormat ?? before.webhookFormat,
    // Left alone otherwise: a worker moves it on with each firing.
    ...(!timing.enabled
      ? { nextRunAt: null }
      : retimed || !before.nextRunAt
        ? { nextRunAt: nextSlot(timing.cron, timing.timezone, new Date()) }
        : {}),
  };
  await db().schedule.update({ where: { id: before.id }, data });
  try {
    await syncScheduleJob(await getQueue(), timing);
  } catch (error) {
    const previous = {
      experimentId: before.experimentId,
      cron: before.cron,
      timezone: before.timezone,
      enabled: before.enabled,
      overlapPolicy: before.overlapPolicy,
      webhookUrl: before.webhookUrl,
      webhookFormat: before.webhookFormat,
      nextRunAt: before.nextRunAt,
    };
    await db()
      .schedule.update({ where: { id: before.id }, data: previous })
      .catch(() => {});
    throw queueUnavailable(error);
  }
  const changes = Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => value !== undefined && key !== "webhookUrl"),
  );
  if (patch.webhookUrl !== undefined) changes.webhook = patch.webhookUrl === null ? "removed" : "set";
  await audit(actor, "schedule.update", before.id, changes);
  return toView(await findSchedule(before.id), { revealWebhooks: true }, new Map());
}

export async function deleteSchedule(id: string, actor: string): Promise<{ id: string; deleted: true }> {
  const row = await findSchedule(id);
  const boss = await getQueue().catch((error: unknown) => {
    throw queueUnavailable(error);
  });
  // Unscheduled first: a schedule that cannot be unscheduled is not deleted (it would keep firing).
  try {
    await boss.unschedule(scheduleQueueName(row.id));
  } catch (error) {
    throw queueUnavailable(error);
  }
  await db().schedule.delete({ where: { id: row.id } });
  // Its queue (and any firing not handled yet) goes too; a worker drops a leftover on its start.
  await removeScheduleJob(boss, row.id).catch((error: unknown) =>
    console.error(`Schedule ${row.id}: its pg-boss queue was not removed: ${describeError(error)}`),
  );
  await audit(actor, "schedule.delete", row.id, { experimentId: row.experimentId, cron: row.cron });
  return { id: row.id, deleted: true };
}

/** The experiments a schedule can run (for the dashboard's form). */
export async function listExperimentChoices(): Promise<Array<{ id: string; name: string }>> {
  return db().experiment.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

async function findSchedule(id: string) {
  const row = isUuid(id) ? await db().schedule.findUnique({ where: { id }, include: scheduleInclude }) : null;
  if (!row) throw scheduleNotFound(id);
  return row;
}

async function resolveExperiment(input: { experimentId?: string; experimentName?: string }): Promise<string> {
  if (input.experimentId !== undefined) {
    const found = await db().experiment.findUnique({
      where: { id: input.experimentId },
      select: { id: true },
    });
    if (!found) {
      throw invalidScheduleError([
        { path: "experimentId", message: `no experiment has id ${input.experimentId}` },
      ]);
    }
    return found.id;
  }
  const name = input.experimentName ?? "";
  const found = await db().experiment.findUnique({ where: { name }, select: { id: true } });
  if (!found) {
    throw invalidScheduleError([{ path: "experimentName", message: `no experiment is named "${name}"` }]);
  }
  return found.id;
}

async function runStatuses(ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const runs = await db().run.findMany({ where: { id: { in: wanted } }, select: { id: true, status: true } });
  return new Map(runs.map((run) => [run.id, run.status]));
}

type FiringRow = {
  id: string;
  dueAt: Date;
  firedAt: Date;
  outcome: FiringView["outcome"];
  runId: string | null;
  reason: string | null;
};

function toFiringView(row: FiringRow, statuses: Map<string, string>): FiringView {
  return {
    id: row.id,
    dueAt: row.dueAt.toISOString(),
    firedAt: row.firedAt.toISOString(),
    outcome: row.outcome,
    runId: row.runId,
    runStatus: row.runId ? (statuses.get(row.runId) ?? null) : null,
    reason: row.reason,
  };
}

type ScheduleRow = Awaited<ReturnType<typeof findSchedule>>;

function toView(row: ScheduleRow, options: ViewOptions, statuses: Map<string, string>): ScheduleView {
  const last = row.firings[0];
  return {
    id: row.id,
    experimentId: row.experimentId,
    experimentName: row.experiment.name,
    cron: row.cron,
    timezone: row.timezone,
    description: describeCron(row.cron, row.timezone),
    enabled: row.enabled,
    overlapPolicy: row.overlapPolicy,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    webhookUrl: row.webhookUrl && !options.revealWebhooks ? maskUrl(row.webhookUrl) : row.webhookUrl,
    webhookFormat: row.webhookFormat,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastFiring: last ? toFiringView(last, statuses) : null,
  };
}

function queueUnavailable(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    "queue_unavailable",
    `The schedule could not be handed to the job queue (pg-boss): ${describeError(error)}. Nothing was changed.`,
    503,
  );
}

async function audit(actor: string, action: string, target: string, details: Record<string, unknown>) {
  await writeAudit(db(), { actor, action, target, details });
}
