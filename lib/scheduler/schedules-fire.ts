// Schedule firings, on the worker side. pg-boss's cron puts a job on a schedule's queue when it
// is due; a worker takes it (pg-boss hands each job to one worker) and, in one transaction,
// records the firing (unique per schedule and due time: a second delivery of the same slot does
// nothing), applies the overlap policy and queues the run. Workers never write schedules; they
// only mirror the schedules table into pg-boss when the two disagree (a crash between the web's
// two writes).
import { randomUUID } from "node:crypto";
import pg from "pg";
import type PgBoss from "pg-boss";
import { describeError } from "../../kernel/errors";
import {
  enqueueRun,
  PGBOSS_SCHEMA,
  PGBOSS_SEND_IT_QUEUE,
  removeScheduleJob,
  type ScheduleJob,
  scheduledQueues,
  scheduleIdOfQueue,
  scheduleQueueName,
  syncScheduleJob,
} from "./queue";
import { nextSlot, slotAtOrBefore } from "./schedules-cron";

export type FiringResult =
  | { outcome: "queued"; dueAt: Date; runId: string }
  | { outcome: "skipped" | "failed"; dueAt: Date; reason: string }
  /** This slot was already handled (a second delivery, or a retry after a success). */
  | { outcome: "duplicate"; dueAt: Date }
  /**
   * Due before the schedule took effect: pg-boss fires a slot up to 60 s late, so a schedule
   * created (enabled, re-timed) at 12:00:30 would otherwise fire for 12:00 at once.
   */
  | { outcome: "early"; dueAt: Date; nextRunAt: Date }
  /** The schedule was deleted after pg-boss fired it. */
  | { outcome: "gone" };

export interface FiringJob {
  scheduleId: string;
  /** When pg-boss put the job on the schedule's queue. */
  createdOn: Date;
}

interface ScheduleRow {
  id: string;
  experiment_id: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  overlap_policy: "skip" | "queue";
  next_run_at: Date | null;
}

const SCHEDULE_COLUMNS = "id, experiment_id, cron, timezone, enabled, overlap_policy, next_run_at";

/** Handles one firing of a schedule: records it and, per the overlap policy, queues a run. */
export async function fireSchedule(pool: pg.Pool, boss: PgBoss, job: FiringJob): Promise<FiringResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Row lock: deliveries of the same schedule are handled one after the other, on any worker.
    const { rows } = await client.query<ScheduleRow>(
      `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE id = $1 FOR UPDATE`,
      [job.scheduleId],
    );
    const schedule = rows[0];
    if (!schedule) {
      await client.query("ROLLBACK");
      return { outcome: "gone" };
    }
    const dueAt = await dueSlot(client, schedule, job.createdOn);
    // Overlap decisions of one experiment's schedules are serialised, so two schedules of the same
    // experiment firing at once cannot both see "nothing running" under policy skip.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `faultline:experiment-runs:${schedule.experiment_id}`,
    ]);
    const seen = await client.query("SELECT 1 FROM schedule_firings WHERE schedule_id = $1 AND due_at = $2", [
      schedule.id,
      dueAt,
    ]);
    if (seen.rowCount) {
      await client.query("ROLLBACK");
      return { outcome: "duplicate", dueAt };
    }
    // next_run_at is the first slot not handled yet (set by the web when the timing changes, and
    // moved on by each firing): an earlier slot is one the schedule did not have.
    if (schedule.enabled && schedule.next_run_at && dueAt < schedule.next_run_at) {
      await client.query("ROLLBACK");
      return { outcome: "early", dueAt, nextRunAt: schedule.next_run_at };
    }
    const decision = await decide(client, boss, schedule);
    const inserted = await client.query(
      `INSERT INTO schedule_firings (id, schedule_id, due_at, fired_at, outcome, run_id, reason)
       VALUES ($1, $2, $3, clock_timestamp(), $4::firing_outcome, $5, $6)
       ON CONFLICT (schedule_id, due_at) DO NOTHING RETURNING fired_at`,
      [
        randomUUID(),
        schedule.id,
        dueAt,
        decision.outcome,
        decision.outcome === "queued" ? decision.runId : null,
        decision.outcome === "queued" ? null : decision.reason,
      ],
    );
    if (!inserted.rowCount) {
      // The unique (schedule, due) row is the last word: undo the run this attempt queued.
      await client.query("ROLLBACK");
      return { outcome: "duplicate", dueAt };
    }
    // The slot after this one, even when this firing is late: a slot is never passed over.
    await client.query(
      `UPDATE schedules SET last_run_at = $3,
         next_run_at = CASE WHEN enabled THEN GREATEST(next_run_at, $2) ELSE NULL END
       WHERE id = $1`,
      [schedule.id, nextSlot(schedule.cron, schedule.timezone, dueAt), inserted.rows[0].fired_at],
    );
    await client.query("COMMIT");
    return { ...decision, dueAt };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

type Decision = { outcome: "queued"; runId: string } | { outcome: "skipped" | "failed"; reason: string };

async function decide(client: pg.PoolClient, boss: PgBoss, schedule: ScheduleRow): Promise<Decision> {
  if (!schedule.enabled) {
    return { outcome: "skipped", reason: "The schedule was disabled before this firing was handled." };
  }
  if (schedule.overlap_policy === "skip") {
    const going = await client.query<{ id: string; status: string }>(
      `SELECT id, status FROM runs WHERE experiment_id = $1 AND status IN ('queued', 'running')
       ORDER BY created_at ASC LIMIT 1`,
      [schedule.experiment_id],
    );
    const run = going.rows[0];
    if (run) {
      return {
        outcome: "skipped",
        reason: `Run ${run.id} of this experiment is still ${run.status} (overlap policy skip).`,
      };
    }
  }
  const version = await client.query<{ id: string; seed: string | null }>(
    `SELECT v.id, v.spec->'load'->>'seed' AS seed FROM experiments e
     JOIN experiment_versions v ON v.experiment_id = e.id AND v.version = e.current_version
     WHERE e.id = $1`,
    [schedule.experiment_id],
  );
  const current = version.rows[0];
  if (!current) return { outcome: "failed", reason: "The experiment has no spec to run." };
  const runId = randomUUID();
  await client.query(
    `INSERT INTO runs (id, experiment_id, experiment_version_id, schedule_id, status, trigger, seed)
     VALUES ($1, $2, $3, $4, 'queued', 'schedule', $5)`,
    [runId, schedule.experiment_id, current.id, schedule.id, current.seed ?? "0"],
  );
  // In the same transaction: the run, its queue job and the firing commit together or not at all.
  await enqueueRun(boss, runId, { executeSql: (text, values) => client.query(text, values) });
  return { outcome: "queued", runId };
}

/**
 * The cron slot a firing stands for. pg-boss's cron monitor inserts one relay job per schedule and
 * minute, keyed by the minute it saw the schedule due in (`singleton_on`): that is the slot, exact
 * even when the relay crossed into the next minute. Without it (a job sent by hand), the latest
 * slot at or before the job's creation.
 */
async function dueSlot(
  client: pg.ClientBase | pg.Pool,
  schedule: ScheduleRow,
  createdOn: Date,
): Promise<Date> {
  const fallback = slotAtOrBefore(schedule.cron, schedule.timezone, createdOn);
  const { rows } = await client.query<{ due_at: Date }>(
    `SELECT singleton_on AT TIME ZONE 'UTC' AS due_at FROM ${PGBOSS_SCHEMA}.job
     WHERE name = $1 AND singleton_key = $2 AND singleton_on IS NOT NULL AND created_on <= $3
     ORDER BY created_on DESC LIMIT 1`,
    [PGBOSS_SEND_IT_QUEUE, scheduleQueueName(schedule.id), createdOn],
  );
  const slot = rows[0]?.due_at;
  if (!slot) return fallback;
  const isSlot = slotAtOrBefore(schedule.cron, schedule.timezone, slot).getTime() === slot.getTime();
  const recent = createdOn.getTime() - slot.getTime() < 5 * 60_000;
  return isSlot && recent ? slot : fallback;
}

/** A firing whose every attempt failed: recorded as `failed`, so the history says so. */
export async function recordFailedFiring(pool: pg.Pool, job: FiringJob, reason: string): Promise<void> {
  const { rows } = await pool.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE id = $1`, [
    job.scheduleId,
  ]);
  const schedule = rows[0];
  if (!schedule) return;
  await pool.query(
    `INSERT INTO schedule_firings (id, schedule_id, due_at, fired_at, outcome, reason)
     VALUES ($1, $2, $3, clock_timestamp(), 'failed', $4) ON CONFLICT (schedule_id, due_at) DO NOTHING`,
    [randomUUID(), schedule.id, await dueSlot(pool, schedule, job.createdOn), reason],
  );
}

/**
 * Makes pg-boss's schedules match the schedules table: enabled ones scheduled with their cron and
 * time zone, disabled ones unscheduled, deleted ones' queues dropped. Returns what it changed.
 */
export async function reconcileScheduleJobs(pool: pg.Pool, boss: PgBoss): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; cron: string; timezone: string; enabled: boolean }>(
    "SELECT id, cron, timezone, enabled FROM schedules",
  );
  const fired = new Map((await scheduledQueues(boss)).map((entry) => [entry.scheduleId, entry]));
  const changed: string[] = [];
  for (const schedule of rows) {
    const current = fired.get(schedule.id);
    const inSync = schedule.enabled
      ? current?.cron === schedule.cron && current.timezone === schedule.timezone
      : current === undefined;
    if (!inSync) {
      await syncScheduleJob(boss, schedule);
      changed.push(`${schedule.enabled ? "scheduled" : "unscheduled"} ${schedule.id}`);
    }
  }
  const known = new Set(rows.map((row) => row.id));
  for (const queue of await boss.getQueues()) {
    const scheduleId = scheduleIdOfQueue(queue.name);
    if (scheduleId && !known.has(scheduleId)) {
      await removeScheduleJob(boss, scheduleId);
      changed.push(`removed ${scheduleId}`);
    }
  }
  return changed;
}

export interface ScheduleConsumer {
  /** Re-reads which schedule queues exist and works the new ones (also runs on a timer). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/** How often a worker looks for schedules created or removed since it last looked. */
const REFRESH_MS = 5000;

/**
 * Works every scheduled queue: pg-boss 10 has one schedule per queue, so each Faultline schedule
 * is its own queue, polled every second. New schedules are picked up within REFRESH_MS; a firing
 * made before that waits in its queue and is handled then.
 */
export async function startScheduleConsumer(options: {
  boss: PgBoss;
  databaseUrl: string;
  log: (message: string) => void;
  refreshMs?: number;
}): Promise<ScheduleConsumer> {
  const { boss, log } = options;
  // Its own small pool: a firing never waits behind a run's window writes.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on("error", () => {});
  const working = new Set<string>();
  let inFlight = 0;
  let stopped = false;

  const handle = async (jobs: PgBoss.JobWithMetadata<ScheduleJob>[]) => {
    for (const job of jobs) {
      inFlight += 1;
      const firing = { scheduleId: job.data.scheduleId, createdOn: job.createdOn };
      try {
        const result = await fireSchedule(pool, boss, firing);
        log(`[schedule] ${job.data.scheduleId} ${describeFiring(result)}`);
        if (result.outcome === "gone") await boss.unschedule(job.name).catch(() => {});
      } catch (error) {
        log(`[schedule] ${job.data.scheduleId} firing failed: ${describeError(error)}`);
        if (job.retryCount >= job.retryLimit) {
          await recordFailedFiring(pool, firing, `Could not queue a run: ${describeError(error)}`).catch(
            () => {},
          );
        }
        throw error;
      } finally {
        inFlight -= 1;
      }
    }
  };

  const refresh = async () => {
    if (stopped) return;
    const wanted = new Set((await scheduledQueues(boss)).map((entry) => entry.queue));
    for (const queue of wanted) {
      if (working.has(queue)) continue;
      working.add(queue);
      await boss.work<ScheduleJob>(
        queue,
        { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
        handle,
      );
    }
    for (const queue of working) {
      if (wanted.has(queue)) continue;
      working.delete(queue);
      await boss.offWork(queue);
    }
  };

  try {
    const changed = await reconcileScheduleJobs(pool, boss);
    if (changed.length > 0) log(`[schedule] pg-boss schedules repaired: ${changed.join(", ")}`);
  } catch (error) {
    log(`[schedule] could not compare schedules with pg-boss: ${describeError(error)}`);
  }
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((error) => log(`[schedule] refresh failed: ${describeError(error)}`));
  }, options.refreshMs ?? REFRESH_MS);
  timer.unref();
  log(`[schedule] watching ${working.size} schedule(s)`);

  return {
    refresh,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...working].map((queue) => boss.offWork(queue).catch(() => {})));
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await pool.end().catch(() => {});
    },
  };
}

function describeFiring(result: FiringResult): string {
  switch (result.outcome) {
    case "queued":
      return `fired for ${result.dueAt.toISOString()}: run ${result.runId} queued`;
    case "skipped":
    case "failed":
      return `fired for ${result.dueAt.toISOString()}: ${result.outcome}: ${result.reason}`;
    case "duplicate":
      return `firing for ${result.dueAt.toISOString()} already handled`;
    case "early":
      return `firing for ${result.dueAt.toISOString()} ignored: the schedule starts at ${result.nextRunAt.toISOString()}`;
    case "gone":
      return "no longer exists: unscheduled";
  }
}
