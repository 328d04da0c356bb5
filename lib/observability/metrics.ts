// Faultline's Prometheus metrics: the instruments (inference requests and latency, active
// faults, the kill switch, queue depths, runs by status) in one prom-client registry per
// process. The registry lives on globalThis: the data plane (outside Next.js) records into it
// and the /api/metrics route (inside Next's bundle, with its own copy of this module) reads it.
// No I/O here; lib/observability/collect.ts fills the scrape-time gauges.
import client from "prom-client";

/** The Prometheus text exposition format, version 0.0.4. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The model label of requests for a model that is not registered (or not named at all). */
export const UNKNOWN_MODEL = "_unknown";

export type InferenceRoute = "infer" | "chat";

/** From a cached 5 ms answer to a fault's 60 s hang. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type RequestLabel = "route" | "model" | "code";

export const CHAOS_HALTED = "faultline_chaos_halted";

export interface FaultlineMetrics {
  registry: client.Registry;
  inferenceRequests: client.Counter<RequestLabel>;
  inferenceDuration: client.Histogram<RequestLabel>;
  faultsActive: client.Gauge<"type" | "layer">;
  chaosHalted: client.Gauge;
  queueJobs: client.Gauge<"queue" | "state">;
  queueDepth: client.Gauge<"queue">;
  runs: client.Gauge<"status">;
  collectorUp: client.Gauge<"collector">;
}

/** A registry with Faultline's instruments (and Node's process metrics when asked). */
export function createMetrics(options: { processMetrics: boolean }): FaultlineMetrics {
  const registry = new client.Registry();
  const registers = [registry];
  if (options.processMetrics) client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    inferenceRequests: new client.Counter({
      name: "faultline_inference_requests_total",
      help: "Inference API requests answered, by route (infer, chat), model and HTTP status code.",
      labelNames: ["route", "model", "code"],
      registers,
    }),
    inferenceDuration: new client.Histogram({
      name: "faultline_inference_request_duration_seconds",
      help: "Time from receiving an inference API request to its response, by route, model and HTTP status code.",
      labelNames: ["route", "model", "code"],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    faultsActive: new client.Gauge({
      name: "faultline_faults_active",
      help: "Fault leases active in the web process, by fault type and layer (app or network).",
      labelNames: ["type", "layer"],
      registers,
    }),
    chaosHalted: new client.Gauge({
      name: CHAOS_HALTED,
      help: "1 while the kill switch is engaged (no fault may start until re-armed), else 0.",
      registers,
    }),
    queueJobs: new client.Gauge({
      name: "faultline_queue_jobs",
      help: 'Jobs in pg-boss, by queue (experiment-run; every schedule\'s queue summed as "schedules") and job state.',
      labelNames: ["queue", "state"],
      registers,
    }),
    queueDepth: new client.Gauge({
      name: "faultline_queue_depth",
      help: "Jobs waiting to be taken (created or retry), by queue.",
      labelNames: ["queue"],
      registers,
    }),
    runs: new client.Gauge({
      name: "faultline_runs",
      help: "Experiment runs in the database, by status.",
      labelNames: ["status"],
      registers,
    }),
    collectorUp: new client.Gauge({
      name: "faultline_metrics_collector_up",
      help: "1 when the collector's source answered during this scrape, 0 when it failed (its series are then absent).",
      labelNames: ["collector"],
      registers,
    }),
  };
}

const globalForMetrics = globalThis as unknown as { faultlineMetrics?: FaultlineMetrics };

/** This process's metrics, created on first use. */
export function getMetrics(): FaultlineMetrics {
  globalForMetrics.faultlineMetrics ??= createMetrics({ processMetrics: true });
  return globalForMetrics.faultlineMetrics;
}

/** Counts and times one answered inference request. */
export function recordInference(
  metrics: FaultlineMetrics,
  route: InferenceRoute,
  model: string,
  status: number,
  seconds: number,
): void {
  const labels = { route, model, code: statusLabel(status) };
  metrics.inferenceRequests.inc(labels);
  metrics.inferenceDuration.observe(labels, seconds);
}

/** An HTTP status as a label value; anything outside 100–599 (never expected) collapses. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}

/** Keeps the model label bounded: registered models by name, anything else as one value. */
export function modelLabel(name: string | undefined, isRegistered: (name: string) => boolean): string {
  return name !== undefined && isRegistered(name) ? name : UNKNOWN_MODEL;
}
