// The run page's read model (plain, serialisable types) and the pure judgements it shows beside
// the charts: the residual-fault check, the lag / invalid-latency flags, progress and the current
// phase, the fault events timeline. Safe on server and client.
import type { SloReport } from "../metrics/slo";
import type { Outcome } from "../runner/outcomes";
import type { Clock, PercentileKey, RunView } from "./run-page-view";
import type { ErrorBreakdownRow, PhaseBand, SeriesBucket } from "./run-series";

export const LIVE_STATUSES = ["queued", "running"] as const;
export const FINAL_STATUSES = ["passed", "failed", "aborted", "errored"] as const;

export function isLive(status: string): boolean {
  return (LIVE_STATUSES as readonly string[]).includes(status);
}

/** The generator's own threshold for a late send (load-generator's lagThresholdMs default). */
export const LAG_THRESHOLD_MS = 10;

export interface RunHeader {
  id: string;
  experimentId: string;
  experiment: string;
  version: number;
  specSha256: string;
  status: string;
  trigger: string;
  seed: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  abortRequestedAt: string | null;
  /** Seconds the spec plans (the sum of its phases). */
  plannedSeconds: number;
}

export interface RunTargetInfo {
  name: string;
  role: "candidate" | "baseline";
  model: string;
  url: string | null;
}

export interface TargetProgressView {
  target: string;
  sentPerSecond: number | null;
  successRate: number | null;
  p99Ms: number | null;
  inFlight: number | null;
}

export interface RunProgressView {
  elapsedSeconds: number | null;
  plannedSeconds: number;
  currentPhase: string | null;
  arrivals: number | null;
  expectedArrivals: number | null;
  maxSendLagMs: number | null;
  behindSchedule: boolean;
  targets: TargetProgressView[];
}

export interface FaultEventView {
  at: string;
  /** Seconds since the load started (estimated from the heartbeat); null when unknown. */
  offsetSeconds: number | null;
  event: string;
  faultId: string | null;
  type: string | null;
  detail: string;
  actor: string;
}

export interface ActiveFaultView {
  id: string;
  type: string;
  expiresAt: string;
}

export type ResidualState = "pending" | "clean" | "residue" | "unverified";

export interface ResidualCheck {
  state: ResidualState;
  message: string;
  /** Faults of this run whose lease is active now (from the faults table). */
  activeNow: ActiveFaultView[];
}

export interface RunFlags {
  latencyInvalid: boolean;
  lagging: boolean;
  maxSendLagMs: number | null;
}

/** Everything that changes while a run goes on: what GET /api/v1/runs/{id}/series answers. */
export interface RunSeries {
  runId: string;
  status: string;
  /** Server time the data was read (ISO). */
  readAt: string;
  plannedSeconds: number;
  from: number;
  to: number;
  bucketSeconds: number;
  percentiles: PercentileKey[];
  clocks: Clock[];
  /** Targets charted, in run order. */
  targets: string[];
  /** Stored windows in the period (all targets). */
  windows: number;
  buckets: SeriesBucket[];
  /** Outcomes by class per target over the period. */
  breakdown: ErrorBreakdownRow[];
  progress: RunProgressView;
  faultEvents: FaultEventView[];
  activeFaults: ActiveFaultView[];
  flags: RunFlags;
  /** Milliseconds the server spent producing this. */
  serverMs: number;
}

export interface RunReportFigures {
  verdict: string | null;
  stopReason: string | null;
  arrivals: number | null;
  expectedArrivals: number | null;
  durationMs: number | null;
}

export interface RunPage {
  header: RunHeader;
  targets: RunTargetInfo[];
  bands: PhaseBand[];
  view: RunView;
  series: RunSeries;
  verdict: SloReport | null;
  report: RunReportFigures | null;
  residual: ResidualCheck;
}

/** The phase running at `second`, or null outside the plan. */
export function currentPhase(bands: readonly PhaseBand[], second: number | null): string | null {
  if (second === null) return null;
  return bands.find((band) => second >= band.startSecond && second < band.endSecond)?.phase ?? null;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/** The worker's progress JSON (runs.progress), read leniently: an old or partial one still shows. */
export function prepareProgress(
  progress: unknown,
  options: { plannedSeconds: number; bands: readonly PhaseBand[]; status: string },
): RunProgressView {
  const json = (typeof progress === "object" && progress !== null ? progress : {}) as Record<string, unknown>;
  const elapsedMs = numberOrNull(json.elapsedMs);
  const finished = !isLive(options.status);
  const elapsedSeconds =
    elapsedMs === null ? null : Math.min(options.plannedSeconds, Math.max(0, elapsedMs / 1000));
  const targets = Array.isArray(json.targets) ? (json.targets as Record<string, unknown>[]) : [];
  return {
    elapsedSeconds,
    plannedSeconds: options.plannedSeconds,
    currentPhase: finished ? null : currentPhase(options.bands, elapsedSeconds),
    arrivals: numberOrNull(json.arrivals),
    expectedArrivals: numberOrNull(json.expectedArrivals),
    maxSendLagMs: numberOrNull(json.maxSendLagMs),
    behindSchedule: json.behindSchedule === true,
    targets: targets.map((target) => ({
      target: String(target.target ?? ""),
      sentPerSecond: numberOrNull(target.sentPerSecond),
      successRate: numberOrNull(target.successRate),
      p99Ms: numberOrNull(target.p99Ms),
      inFlight: numberOrNull(target.inFlight),
    })),
  };
}

/**
 * Latency measured from a generator that fell behind its schedule is not trustworthy: flagged by
 * the run (latency_invalid, the report's latencyInvalid), by the live progress (behindSchedule),
 * or seen in the windows' send lag.
 */
export function prepareFlags(input: {
  latencyInvalid: boolean;
  report?: { latencyInvalid?: unknown; maxSendLagMs?: unknown } | null;
  progress?: Pick<RunProgressView, "behindSchedule" | "maxSendLagMs"> | null;
  windowsMaxSendLagMs: number | null;
}): RunFlags {
  const lags = [
    numberOrNull(input.report?.maxSendLagMs),
    input.progress?.maxSendLagMs ?? null,
    input.windowsMaxSendLagMs,
  ].filter((lag): lag is number => lag !== null);
  const maxSendLagMs = lags.length ? Math.max(...lags) : null;
  return {
    latencyInvalid:
      input.latencyInvalid ||
      input.report?.latencyInvalid === true ||
      input.progress?.behindSchedule === true,
    lagging: maxSendLagMs !== null && maxSendLagMs > LAG_THRESHOLD_MS,
    maxSendLagMs,
  };
}

const EVENT_LABELS: Readonly<Record<string, string>> = {
  started: "started",
  stopped: "ended",
  expired: "expired (lease lapsed)",
  halted: "halted (kill switch)",
  superseded: "superseded",
};

/** Fault events oldest first, with their offset from the load's start and a one-line detail. */
export function prepareFaultTimeline(
  events: ReadonlyArray<{
    at: string;
    event: string;
    faultId: string | null;
    type: string | null;
    params: unknown;
    actor: string;
  }>,
  loadStartedAt: string | null,
): FaultEventView[] {
  const origin = loadStartedAt ? Date.parse(loadStartedAt) : Number.NaN;
  return [...events]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((event) => ({
      at: event.at,
      offsetSeconds: Number.isNaN(origin) ? null : Math.round((Date.parse(event.at) - origin) / 100) / 10,
      event: EVENT_LABELS[event.event] ?? event.event,
      faultId: event.faultId,
      type: event.type,
      detail: event.event === "started" ? describeFault(withoutLease(event.params)) : "",
      actor: event.actor,
    }));
}

// A started event's params carry the lease (scope, expiry); the fault itself is the rest.
function withoutLease(params: unknown): unknown {
  if (typeof params !== "object" || params === null) return params;
  const { scope: _scope, expiresAt: _expiresAt, ...fault } = params as Record<string, unknown>;
  if (fault.model === null) delete fault.model;
  return fault;
}

/**
 * When the load started. The runner starts a phase's faults on a timer at the phase's start, so
 * the first "started" event minus the first faulted phase's start second pins it (to the control
 * API's latency). Without one: while running, the last heartbeat minus the elapsed time it
 * reported; otherwise the run's start (claimed by the worker, a little before the load).
 */
export function estimateLoadStart(input: {
  events: ReadonlyArray<{ at: string; event: string }>;
  bands: readonly Pick<PhaseBand, "startSecond" | "faulted">[];
  heartbeatAt: string | null;
  progress: unknown;
  startedAt: string | null;
  live: boolean;
}): string | null {
  const firstStarted = input.events
    .filter((event) => event.event === "started")
    .map((event) => Date.parse(event.at))
    .sort((a, b) => a - b)[0];
  const firstFaulted = input.bands.find((band) => band.faulted);
  if (firstStarted !== undefined && firstFaulted) {
    return new Date(firstStarted - firstFaulted.startSecond * 1000).toISOString();
  }
  const elapsedMs = numberOrNull((input.progress as { elapsedMs?: unknown } | null)?.elapsedMs);
  if (input.live && input.heartbeatAt && elapsedMs !== null) {
    return new Date(Date.parse(input.heartbeatAt) - elapsedMs).toISOString();
  }
  return input.startedAt;
}

const RESIDUE_AT_END = /^Faults of this run were still active after it ended: (.*?)\.?$/;
const SWEPT_CLEAN = /residual check clean/;
const SWEPT_RESIDUE = /(\d+) residual fault\(s\) stopped/;
const SWEPT_FAILED = /residual check failed: ([^;]*)/;

/**
 * After a run the worker lists the run's faults the web process still has active: none is
 * "clean"; any is stopped and the run errors with their types. A dead worker's run is checked
 * by the sweeper, which says so in the error. On top, the faults table tells what is active now.
 */
export function prepareResidualCheck(input: {
  status: string;
  error: string | null;
  hasReport: boolean;
  faultsStarted: number;
  activeNow: ActiveFaultView[];
}): ResidualCheck {
  const { status, error, activeNow } = input;
  const nowText =
    activeNow.length === 0
      ? "no fault of this run is active now"
      : `${activeNow.length} fault(s) of this run active now: ${activeNow.map((fault) => fault.type).join(", ")}`;
  const result = (state: ResidualState, message: string): ResidualCheck => ({ state, message, activeNow });
  if (isLive(status)) {
    // The page renders this once; the live fault events show what is active from moment to moment.
    return result("pending", "Checked when the run ends: no fault of this run may outlive it.");
  }
  if (activeNow.length > 0) {
    return result("residue", `Not clean: ${nowText} (their leases lapse within seconds unless renewed).`);
  }
  const atEnd = error ? RESIDUE_AT_END.exec(error) : null;
  if (atEnd) {
    return result(
      "residue",
      `Not clean: faults of this run were still active after it ended (${atEnd[1]}); the worker stopped them, and ${nowText}.`,
    );
  }
  const swept = error ? SWEPT_RESIDUE.exec(error) : null;
  if (swept) {
    return result(
      "residue",
      `Not clean: the worker died and ${swept[1]} fault(s) of this run were found active and stopped; ${nowText}.`,
    );
  }
  if (error && SWEPT_CLEAN.test(error)) {
    return result(
      "clean",
      `Clean: the worker died; the check after it found no fault of this run active, and ${nowText}.`,
    );
  }
  const failed = error ? SWEPT_FAILED.exec(error) : null;
  if (failed) {
    return result("unverified", `The check after the worker died failed (${failed[1]}); ${nowText}.`);
  }
  if (input.hasReport) {
    return result(
      "clean",
      `Clean: the worker found no fault of this run still active after it ended, and ${nowText}.`,
    );
  }
  if (input.faultsStarted === 0) {
    return result("clean", `Clean: no fault of this run was ever started, and ${nowText}.`);
  }
  return result(
    "unverified",
    `The run ended (${status}) before the worker's own check, but ${nowText} (checked in the faults table).`,
  );
}

/** One line for a spec fault: its type, its parameters, and whom it hits when not everyone. */
export function describeFault(fault: unknown): string {
  if (typeof fault !== "object" || fault === null) return String(fault);
  const { type, probability, model, toxic, ...params } = fault as Record<string, unknown>;
  const shown = (entries: Record<string, unknown>) =>
    Object.entries(entries)
      .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value))
      .map(([key, value]) => `${key} ${value}`)
      .join(", ");
  let text = String(type ?? "fault");
  if (toxic && typeof toxic === "object") {
    const { type: toxicType, attributes } = toxic as { type?: unknown; attributes?: Record<string, unknown> };
    text += ` ${String(toxicType ?? "")}`.trimEnd();
    const detail = shown(attributes ?? {});
    if (detail) text += ` (${detail})`;
  } else {
    const detail = shown(params);
    if (detail) text += ` (${detail})`;
  }
  if (typeof model === "string") text += ` on ${model}`;
  if (typeof probability === "number" && probability < 1)
    text += `, ${Math.round(probability * 100)}% of requests`;
  return text;
}

/** Shares of each outcome, for the stacked bar; 0 for a target without requests. */
export function outcomeShares(row: ErrorBreakdownRow): Record<Outcome, number> {
  return Object.fromEntries(
    Object.entries(row.counts).map(([outcome, count]) => [outcome, row.requests ? count / row.requests : 0]),
  ) as Record<Outcome, number>;
}

/** An SLO's observed value in its unit: latencies in ms, rates and accuracy in %, counts as is. */
export function formatObserved(slo: string, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const metric = slo.trim().split(/[<>=!{~\s]/)[0] ?? "";
  if (/^(p\(|avg|min|max)/.test(metric)) return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  if (/^(success_rate|error_rate|accuracy|cer)/.test(metric)) return `${(value * 100).toFixed(2)}%`;
  if (metric.startsWith("throughput")) return `${value.toFixed(1)} ok/s`;
  return String(Math.round(value));
}
