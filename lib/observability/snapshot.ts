// The scrape-time gauges from one snapshot of their sources (the chaos runtime, the runs table,
// pg-boss's job table): every known label value is written, zeros included, so a series never
// vanishes because its count went to nothing; a source that failed clears its gauges instead
// and says so in faultline_metrics_collector_up. Pure: no I/O.
import { FAULT_TYPES, type FaultType, faultLayer } from "../../chaos/faults/index";
import { RUN_STATUSES } from "../runner/run-status";
import { RUN_QUEUE, scheduleIdOfQueue } from "../scheduler/queue";
import { CHAOS_HALTED, type FaultlineMetrics } from "./metrics";

/** pg-boss 10's job states (PgBoss.states); created and retry are the ones still waiting. */
export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
const WAITING_STATES: ReadonlySet<string> = new Set(["created", "retry"]);

/** The schedules' queues (one per schedule) are exported summed, under this one name. */
export const SCHEDULES_QUEUE_LABEL = "schedules";

/** The queue label values (a fixed list keeps the label bounded). */
export const MONITORED_QUEUES: readonly string[] = [RUN_QUEUE, SCHEDULES_QUEUE_LABEL];

/** The label of a pg-boss queue: its name, the schedules' shared label, or none (not exported). */
export function queueLabel(name: string): string | undefined {
  if (name === RUN_QUEUE) return RUN_QUEUE;
  return scheduleIdOfQueue(name) === null ? undefined : SCHEDULES_QUEUE_LABEL;
}

/** Every run status is written, zeros included (the list lives with the statuses). */
export { RUN_STATUSES };

export interface ScrapeSnapshot {
  /** Undefined when the source could not be read during this scrape. */
  chaos?: { activeFaultTypes: FaultType[]; halted: boolean };
  runs?: Array<{ status: string; count: number }>;
  queues?: { names: readonly string[]; counts: Array<{ queue: string; state: string; count: number }> };
}

export function applySnapshot(metrics: FaultlineMetrics, snapshot: ScrapeSnapshot): void {
  applyChaos(metrics, snapshot.chaos);
  applyRuns(metrics, snapshot.runs);
  applyQueues(metrics, snapshot.queues);
}

function applyChaos(metrics: FaultlineMetrics, chaos: ScrapeSnapshot["chaos"]): void {
  metrics.faultsActive.reset();
  metrics.collectorUp.set({ collector: "chaos" }, chaos ? 1 : 0);
  // An unlabelled gauge cannot be empty (reset() makes it 0, a false "armed"): out it goes.
  const { registry, chaosHalted } = metrics;
  if (!chaos) {
    registry.removeSingleMetric(CHAOS_HALTED);
    return;
  }
  if (!registry.getSingleMetric(CHAOS_HALTED)) registry.registerMetric(chaosHalted);
  const counts = countBy(chaos.activeFaultTypes, FAULT_TYPES);
  for (const [type, value] of counts) metrics.faultsActive.set({ type, layer: faultLayer(type) }, value);
  metrics.chaosHalted.set(chaos.halted ? 1 : 0);
}

function applyRuns(metrics: FaultlineMetrics, runs: ScrapeSnapshot["runs"]): void {
  metrics.runs.reset();
  metrics.collectorUp.set({ collector: "runs" }, runs ? 1 : 0);
  if (!runs) return;
  for (const status of RUN_STATUSES) metrics.runs.set({ status }, 0);
  // A status the schema gains later still shows, by its own name (the enum bounds it).
  for (const row of runs) metrics.runs.set({ status: row.status }, row.count);
}

function applyQueues(metrics: FaultlineMetrics, queues: ScrapeSnapshot["queues"]): void {
  metrics.queueJobs.reset();
  metrics.queueDepth.reset();
  metrics.collectorUp.set({ collector: "queues" }, queues ? 1 : 0);
  if (!queues) return;
  const watched = new Set(queues.names);
  const jobs = new Map<string, Map<string, number>>();
  for (const queue of queues.names) jobs.set(queue, new Map(JOB_STATES.map((state) => [state, 0])));
  for (const row of queues.counts) {
    if (!watched.has(row.queue)) continue;
    const states = jobs.get(row.queue) as Map<string, number>;
    states.set(row.state, (states.get(row.state) ?? 0) + row.count);
  }
  for (const [queue, states] of jobs) {
    let depth = 0;
    for (const [state, value] of states) {
      metrics.queueJobs.set({ queue, state }, value);
      if (WAITING_STATES.has(state)) depth += value;
    }
    metrics.queueDepth.set({ queue }, depth);
  }
}

function countBy<T extends string>(values: readonly T[], known: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>(known.map((key) => [key, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
