// The job queue between the web process (and the CLI) and the workers: pg-boss on the same
// PostgreSQL, so any worker on any machine with the same DATABASE_URL can take runs. pg-boss keeps
// its own tables in the `pgboss` schema (it installs and upgrades them itself on start).
// Schedules fire through pg-boss's cron: each Faultline schedule is one pg-boss queue with one
// pg-boss schedule on it (pg-boss 10 keys schedules by queue name and has no `key` option).
import pg from "pg";
import PgBoss from "pg-boss";

export const RUN_QUEUE = "experiment-run";
export const PGBOSS_SCHEMA = "pgboss";
/** pg-boss's own relay queue: its cron monitor puts one job here per schedule and due minute. */
export const PGBOSS_SEND_IT_QUEUE = "__pgboss__send-it";
const SCHEDULE_QUEUE_PREFIX = "faultline-schedule-";

export interface RunJob {
  runId: string;
}

export interface ScheduleJob {
  scheduleId: string;
}

export interface QueueOptions {
  /**
   * Run pg-boss's timekeeper here (its cron monitor and the relay that turns a due schedule into a
   * job). Workers do; the web process only writes schedules, so it does not.
   */
  cron?: boolean;
}

/**
 * pg-boss's cron settings (every process uses the same ones, so whichever instance wins the
 * monitor's turn behaves alike). pg-boss checks every schedule once per cronMonitorIntervalSeconds
 * (default 30 s, across all instances: a `cron_on` timestamp in pgboss.version decides whose turn
 * it is), so a minutely schedule would fire up to 30 s late; at 1 s it fires in the minute's first
 * second or two. The relay queue is polled every cronWorkerIntervalSeconds (default 5 s) → 1 s.
 * The clock-skew reading (local vs PostgreSQL clock, used to judge "due") is refreshed every
 * minute instead of every 10. Cost: one UPDATE of one row per second per instance, and one
 * SELECT of the schedule table per second across the cluster.
 */
export const CRON_SETTINGS = {
  cronMonitorIntervalSeconds: 1,
  cronWorkerIntervalSeconds: 1,
  clockMonitorIntervalSeconds: 60,
} as const;

/** A started pg-boss; `stop()` it when done. */
export async function startQueue(
  databaseUrl: string,
  log: (message: string) => void = () => {},
  options: QueueOptions = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: PGBOSS_SCHEMA,
    max: 3,
    schedule: options.cron === true,
    ...CRON_SETTINGS,
  });
  boss.on("error", (error) => log(`[queue] ${error.message}`));
  databaseUrlOf.set(boss, databaseUrl);
  // With cron on, start() creates pg-boss's relay queue: queue DDL, so under the lock too.
  await withQueueDdlLock(databaseUrl, async () => {
    await boss.start();
    // A run is never retried by the queue: a run that died is marked errored, and re-running is
    // an explicit, fingerprinted decision.
    await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, retryLimit: 0, expireInHours: 23 });
  });
  return boss;
}

/** The server each boss started here talks to: queue DDL takes its lock there. */
const databaseUrlOf = new WeakMap<PgBoss, string>();
const QUEUE_DDL_LOCK = "faultline:pgboss-queue-ddl";

/**
 * pg-boss 10 makes each queue a partition of its job table: it inserts the queue's row, then adds
 * a foreign key to the queue table and attaches the partition, all in one transaction. Two
 * processes creating queues at once (two workers starting on a fresh database, even for the same
 * queue) deadlock on those table locks, and one of them fails to start. Every queue creation or
 * deletion made through this module waits on one session advisory lock instead.
 */
async function withQueueDdlLock<T>(databaseUrl: string, body: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "faultline-queue-ddl" });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [QUEUE_DDL_LOCK]);
    return await body();
  } finally {
    // Ending the session releases the lock too; unlock first so a waiter need not wait for it.
    await client
      .query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [QUEUE_DDL_LOCK])
      .catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * Creates the queue unless it exists, serialised with every other queue change (see
 * withQueueDdlLock). pg-boss's createQueue leaves an existing queue as it is.
 */
export async function ensureQueue(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  if (await boss.getQueue(name)) return;
  await withBossDdlLock(boss, () => boss.createQueue(name, options));
}

function withBossDdlLock<T>(boss: PgBoss, body: () => Promise<T>): Promise<T> {
  const databaseUrl = databaseUrlOf.get(boss);
  if (!databaseUrl) throw new Error("this pg-boss was not started by startQueue, so its server is unknown");
  return withQueueDdlLock(databaseUrl, body);
}

/** Minimal pg-boss `db` executor: lets a job be inserted inside the caller's transaction. */
export interface QueueDb {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export async function enqueueRun(boss: PgBoss, runId: string, db?: QueueDb): Promise<void> {
  await boss.send(RUN_QUEUE, { runId } satisfies RunJob, {
    singletonKey: runId,
    retryLimit: 0,
    ...(db ? { db: db as PgBoss.Db } : {}),
  });
}

/** The pg-boss queue (and schedule name) of a Faultline schedule. */
export function scheduleQueueName(scheduleId: string): string {
  return `${SCHEDULE_QUEUE_PREFIX}${scheduleId}`;
}

/** The Faultline schedule id of a pg-boss queue name, or null when it is not a schedule's. */
export function scheduleIdOfQueue(queue: string): string | null {
  return queue.startsWith(SCHEDULE_QUEUE_PREFIX) ? queue.slice(SCHEDULE_QUEUE_PREFIX.length) : null;
}

export interface ScheduleTiming {
  id: string;
  cron: string;
  timezone: string;
  enabled: boolean;
}

/**
 * Makes pg-boss fire the schedule as it now stands: its queue exists, and it carries the cron
 * schedule when enabled; a disabled one is unscheduled and its not-yet-handled firings dropped.
 */
export async function syncScheduleJob(boss: PgBoss, schedule: ScheduleTiming): Promise<void> {
  const queue = scheduleQueueName(schedule.id);
  // A firing that failed on a database hiccup is retried; the unique (schedule, due) row makes a
  // retry after a success a no-op.
  await ensureQueue(boss, queue, { name: queue, retryLimit: 3, retryDelay: 2, expireInSeconds: 120 });
  if (schedule.enabled) {
    await boss.schedule(queue, schedule.cron, { scheduleId: schedule.id } satisfies ScheduleJob, {
      tz: schedule.timezone,
    });
  } else {
    await boss.unschedule(queue);
    await boss.purgeQueue(queue);
  }
}

/** Forgets a deleted schedule: no more firings, and its queue (with pending ones) dropped. */
export async function removeScheduleJob(boss: PgBoss, scheduleId: string): Promise<void> {
  const queue = scheduleQueueName(scheduleId);
  await boss.unschedule(queue);
  await withBossDdlLock(boss, () => boss.deleteQueue(queue));
}

/** What pg-boss will fire: the schedule queues that carry a cron schedule. */
export async function scheduledQueues(
  boss: PgBoss,
): Promise<Array<{ scheduleId: string; queue: string; cron: string; timezone: string }>> {
  const rows = (await boss.getSchedules()) as Array<PgBoss.Schedule & { timezone?: string | null }>;
  return rows.flatMap((row) => {
    const scheduleId = scheduleIdOfQueue(row.name);
    return scheduleId
      ? [{ scheduleId, queue: row.name, cron: row.cron, timezone: row.timezone ?? "UTC" }]
      : [];
  });
}
