// The job queue between the web process (and the CLI) and the workers: pg-boss on the same
// PostgreSQL, so any worker on any machine with the same DATABASE_URL can take runs. pg-boss keeps
// its own tables in the `pgboss` schema (it installs and upgrades them itself on start).
import PgBoss from "pg-boss";

export const RUN_QUEUE = "experiment-run";

export interface RunJob {
  runId: string;
}

/** A started pg-boss; `stop()` it when done. */
export async function startQueue(
  databaseUrl: string,
  log: (message: string) => void = () => {},
): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", max: 3 });
  boss.on("error", (error) => log(`[queue] ${error.message}`));
  await boss.start();
  // A run is never retried by the queue: a run that died is marked errored, and re-running is
  // an explicit, fingerprinted decision.
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, retryLimit: 0, expireInHours: 23 });
  return boss;
}

export async function enqueueRun(boss: PgBoss, runId: string): Promise<void> {
  await boss.send(RUN_QUEUE, { runId } satisfies RunJob, { singletonKey: runId, retryLimit: 0 });
}
