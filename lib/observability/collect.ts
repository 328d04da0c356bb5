// A scrape of /api/metrics: reads the gauges' sources (the chaos runtime in this process, the
// runs table, pg-boss's job table) concurrently, each bounded in time so a slow database never
// hangs Prometheus, then renders the registry the data plane records into.
import "server-only";
import { describeError } from "../../kernel/errors";
import { getChaosRuntime } from "../chaos/runtime";
import { db } from "../db/client";
import { env } from "../env";
import { getMetrics } from "./metrics";
import { applySnapshot, MONITORED_QUEUES, queueLabel, type ScrapeSnapshot } from "./snapshot";

const SOURCE_TIMEOUT_MS = 5000;

/** False when FAULTLINE_METRICS_AUTH=off: Prometheus may then scrape without a token. */
export function metricsNeedAuth(): boolean {
  return env().FAULTLINE_METRICS_AUTH !== "off";
}

/** The whole exposition, in Prometheus text format 0.0.4. */
export async function renderMetrics(): Promise<string> {
  const metrics = getMetrics();
  const [chaos, runs, queues] = await Promise.all([
    bounded("chaos", readChaos()),
    bounded("runs", readRuns()),
    bounded("queues", readQueues(MONITORED_QUEUES)),
  ]);
  applySnapshot(metrics, { chaos, runs, queues });
  return metrics.registry.metrics();
}

async function readChaos(): Promise<ScrapeSnapshot["chaos"]> {
  const runtime = await getChaosRuntime();
  return { activeFaultTypes: runtime.list().map((fault) => fault.params.type), halted: runtime.isHalted() };
}

async function readRuns(): Promise<ScrapeSnapshot["runs"]> {
  const groups = await db().run.groupBy({ by: ["status"], _count: { _all: true } });
  return groups.map((group) => ({ status: group.status, count: group._count._all }));
}

async function readQueues(names: readonly string[]): Promise<ScrapeSnapshot["queues"]> {
  // pg-boss creates its schema when a worker or the web process first starts it; until then
  // every queue is empty.
  const [schema] = await db().$queryRaw<Array<{ present: boolean }>>`
    select to_regclass('pgboss.job') is not null as present`;
  if (!schema?.present) return { names, counts: [] };
  // getQueueSize() counts one queue and one state boundary per call; one grouped count reads all.
  const rows = await db().$queryRaw<Array<{ name: string; state: string; count: number }>>`
    select name, state::text as state, count(*)::int as count from pgboss.job group by name, state`;
  const counts = rows.flatMap(({ name, state, count }) => {
    const queue = queueLabel(name);
    return queue === undefined ? [] : [{ queue, state, count }];
  });
  return { names, counts };
}

/** The source's value, or undefined when it failed or took longer than SOURCE_TIMEOUT_MS. */
async function bounded<T>(source: string, read: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      console.error(`[metrics] the ${source} collector took over ${SOURCE_TIMEOUT_MS} ms; skipped`);
      resolve(undefined);
    }, SOURCE_TIMEOUT_MS);
  });
  const failed = (error: unknown) => {
    console.error(`[metrics] the ${source} collector failed: ${describeError(error)}`);
    return undefined;
  };
  try {
    return await Promise.race([read.catch(failed), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
