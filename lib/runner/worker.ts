// The worker process's loop: takes runs from the queue one at a time and executes them, keeps a
// heartbeat on the run it executes, and marks runs whose worker died (stale heartbeat) as
// errored, after making sure none of their faults is still active. It also runs pg-boss's cron
// and handles schedule firings (lib/scheduler/schedules-fire.ts), alongside a run in progress.
import os from "node:os";
import pg from "pg";
import type PgBoss from "pg-boss";
import { describeError } from "../../kernel/errors";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { startNotificationWorker } from "../notify/deliver";
import { notifyRunEnded } from "../notify/notify";
import { PGBOSS_SCHEMA, RUN_QUEUE, type RunJob, startQueue } from "../scheduler/queue";
import { startScheduleConsumer } from "../scheduler/schedules-fire";
import { executeRun } from "./execute-run";
import { FaultController } from "./fault-controller";
import { checkResidualFaults, describeResidual } from "./residual";
import { runRecordColumns } from "./run-record";

export interface WorkerOptions {
  databaseUrl: string;
  webUrl: string;
  token: string;
  proxyApiUrl: string;
  root: string;
  datasetsDir: string;
  log?: (message: string) => void;
}

/** A run whose heartbeat is older than this belongs to a dead worker. */
const STALE_AFTER_MS = 15_000;

export interface Worker {
  id: string;
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const log = options.log ?? console.log;
  const id = `${os.hostname()}:${process.pid}`;
  const prisma = createPrismaClient(options.databaseUrl, 3);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  pool.on("error", () => {});
  const boss: PgBoss = await startQueue(options.databaseUrl, log, { cron: true });
  const recovered = await recoverStaleRuns(prisma, boss, options, log, id);
  await startNotificationWorker(boss, { prisma, log });
  // Failed, invalid, aborted and errored runs notify their webhook; notifyRunEnded re-reads the status
  // and never sends twice, so calling it for every ended run is safe.
  const notify = (runId: string) =>
    notifyRunEnded(runId, { prisma, boss, log }).catch((error) =>
      log(`[notify] run ${runId}: notification not queued: ${describeError(error)}`),
    );
  for (const runId of recovered) await notify(runId);
  const sweeper = setInterval(
    () =>
      void recoverStaleRuns(prisma, boss, options, log)
        .then((ids) => Promise.all(ids.map(notify)))
        .catch(() => {}),
    STALE_AFTER_MS,
  );
  sweeper.unref();
  await boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      log(`[worker] run ${job.data.runId} started`);
      const result = await executeRun({
        runId: job.data.runId,
        prisma,
        pool,
        webUrl: options.webUrl,
        token: options.token,
        proxyApiUrl: options.proxyApiUrl,
        root: options.root,
        datasetsDir: options.datasetsDir,
        workerId: id,
        log,
      });
      log(`[worker] run ${job.data.runId} ${result.status}${result.error ? `: ${result.error}` : ""}`);
      await notify(job.data.runId);
    }
  });
  const schedules = await startScheduleConsumer({ boss, databaseUrl: options.databaseUrl, log });
  log(`[worker] ${id} waiting for runs`);
  return {
    id,
    stop: async () => {
      clearInterval(sweeper);
      await schedules.stop();
      await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Runs left `running` by a worker that stopped beating: errored, with their residue cleared, and
 * their queue job failed (pg-boss would otherwise keep it `active` until it expires, 23 h on).
 */
export async function recoverStaleRuns(
  prisma: PrismaClient,
  boss: PgBoss,
  options: Pick<WorkerOptions, "webUrl" | "token">,
  log: (message: string) => void,
  selfId?: string,
): Promise<string[]> {
  const cutoff = new Date(Date.now() - STALE_AFTER_MS);
  const stale = await prisma.run.findMany({
    where: {
      status: "running",
      OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, startedAt: { lt: cutoff } }],
      // Our own runs are alive by definition: their heartbeat is only late when the database was away.
      ...(selfId ? { NOT: { workerId: selfId } } : {}),
    },
    select: { id: true, workerId: true, heartbeatAt: true },
  });
  for (const run of stale) {
    const faults = new FaultController({ baseUrl: options.webUrl, token: options.token, runId: run.id });
    const residual = await checkResidualFaults(faults, "sweeper").finally(() => faults.close());
    const residue = describeResidual(residual);
    const last = run.heartbeatAt ? run.heartbeatAt.toISOString() : "never";
    const reason = `The worker executing this run (${run.workerId ?? "unknown"}) stopped; last heartbeat ${last}. Its faults lapsed with their leases; ${residue}.`;
    await prisma.run.updateMany({
      where: { id: run.id, status: "running" },
      data: { status: "errored", endedAt: new Date(), error: reason, ...runRecordColumns({ residual }) },
    });
    log(`[worker] run ${run.id} marked errored: ${reason}`);
    await failRunJobs(prisma, boss, run.id, reason).catch((error) =>
      log(`[worker] run ${run.id}: its queue job stays active until it expires: ${describeError(error)}`),
    );
  }
  return stale.map((run) => run.id);
}

/** Fails the run's queue jobs that a dead worker left active. */
async function failRunJobs(prisma: PrismaClient, boss: PgBoss, runId: string, reason: string): Promise<void> {
  // pg-boss has no lookup by payload; its job table is partitioned by queue name, so this reads
  // the run queue's partition only.
  const jobs = await prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id::text AS id FROM ${PGBOSS_SCHEMA}.job WHERE name = $1 AND state = 'active' AND data->>'runId' = $2`,
    RUN_QUEUE,
    runId,
  );
  for (const job of jobs) await boss.fail(RUN_QUEUE, job.id, { message: reason });
}
