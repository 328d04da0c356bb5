// The run page's read model (plain, serialisable types) and the pure judgements it shows beside
// the charts: the run's outcome read from its typed record (verdict, why it is invalid, halts,
// accuracy), the residual-fault check, the lag / invalid-latency flags, progress and the current
// phase, the fault events timeline. Safe on server and client.
import type { Outcome } from "../runner/outcomes";
import type {
  HaltEvent,
  ResidualCheck as ResidualRecord,
  RunRecord,
  RunVerdict,
  SloReport,
} from "../runner/run-record";
import { FINAL_RUN_STATUSES } from "../runner/run-status";
import type { Clock, PercentileKey, RunView } from "./run-page-view";
import type { ErrorBreakdownRow, PhaseBand, SeriesBucket } from "./run-series";

export const LIVE_STATUSES = ["queued", "running"] as const;
export const FINAL_STATUSES = FINAL_RUN_STATUSES;

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
  /** Who checked: the runner at the run's end, or the sweeper after the run's worker died. */
  by: "runner" | "sweeper" | null;
  /** When the check ran (ISO); null when no check is on record. */
  checkedAt: string | null;
  /** Faults of this run the check found active (and stopped). */
  found: Array<{ id: string; type: string }>;
  message: string;
  /** Faults of this run whose lease is active now (from the faults table). */
  activeNow: ActiveFaultView[];
}

/** A vertical line on every time chart: where the kill switch cut the run. */
export interface ChartMarker {
  /** Seconds since the load started. */
  second: number;
  label: string;
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
  /** Kill-switch halts during the run, for the charts (from the run's record). */
  halts: ChartMarker[];
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

/** One reason a verdict could not be given, for the whole run or one phase. */
export interface InvalidReasonView {
  code: string;
  phase: string | null;
  message: string;
}

/** A target's accuracy both ways, and the fallback answers that were not its own. */
export interface TargetAccuracyView {
  target: string;
  role: "candidate" | "baseline";
  /** End to end: a failed, overflowed or degraded request is wrong. */
  accuracy: number | null;
  /** Over the answered (ok) requests only. */
  answeredAccuracy: number | null;
  /** Distinct items sent. */
  items: number | null;
  requests: number;
  degraded: number;
  /** "fallback-model 12", by the model that served them. */
  degradedBy: Array<{ model: string; count: number }>;
}

/** What the run's record says of its result, shaped for the page. */
export interface RunOutcome {
  /** The run's verdict (the candidate's, over valid data only); null before it is judged. */
  verdict: RunVerdict | null;
  /** Every reason no verdict (or no verdict for a phase) could be given, whole-run ones first. */
  invalidReasons: InvalidReasonView[];
  /** Phases whose data cannot be judged → why. */
  invalidPhases: Record<string, string[]>;
  halts: ChartMarker[];
  latencyInvalid: boolean;
  /** Latency SLO results judged invalid because the generator fell behind. */
  invalidLatencySlos: number;
  accuracy: TargetAccuracyView[];
}

export interface RunPage {
  header: RunHeader;
  targets: RunTargetInfo[];
  bands: PhaseBand[];
  view: RunView;
  series: RunSeries;
  verdict: SloReport | null;
  report: RunReportFigures | null;
  outcome: RunOutcome;
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

/**
 * Fault events oldest first, with their offset from the load's start and a one-line detail; each
 * kill-switch halt of the run (from its record) is a line of its own, placed at its second.
 */
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
  halts: readonly HaltEvent[] = [],
): FaultEventView[] {
  const origin = loadStartedAt ? Date.parse(loadStartedAt) : Number.NaN;
  const lines = events.map((event) => ({
    at: event.at,
    offsetSeconds: Number.isNaN(origin) ? null : Math.round((Date.parse(event.at) - origin) / 100) / 10,
    event: EVENT_LABELS[event.event] ?? event.event,
    faultId: event.faultId,
    type: event.type,
    detail: event.event === "started" ? describeFault(withoutLease(event.params)) : "",
    actor: event.actor,
  }));
  const haltLines = halts.map((halt) => ({
    at: halt.at,
    offsetSeconds: Math.round(halt.second * 10) / 10,
    event: RUN_HALTED,
    faultId: null,
    type: null,
    detail: `${haltLabel(halt)}${halt.phases.length ? `: ended the faults of ${halt.phases.join(", ")}` : ""}`,
    actor: halt.actor,
  }));
  return [...lines, ...haltLines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The fault timeline's event for a kill-switch halt of the whole run. */
export const RUN_HALTED = "run halted";

const haltLabel = (halt: Pick<HaltEvent, "actor">) => `halted by ${halt.actor}`;

/** The run's halts as chart markers: a vertical line at the halt's second, "halted by <actor>". */
export function prepareHaltMarkers(halts: readonly HaltEvent[]): ChartMarker[] {
  return [...halts]
    .sort((a, b) => a.second - b.second)
    .map((halt) => ({ second: Math.max(0, halt.second), label: haltLabel(halt) }));
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

/**
 * After a run the runner checks that none of the run's faults is still active (stopping any it
 * finds); a dead worker's run is checked by the sweeper. Both write the typed check to
 * runs.residual. On top, the faults table tells what is active now.
 */
export function prepareResidualCheck(input: {
  status: string;
  residual: ResidualRecord | null;
  faultsStarted: number;
  activeNow: ActiveFaultView[];
}): ResidualCheck {
  const { status, residual, activeNow } = input;
  const nowText =
    activeNow.length === 0
      ? "no fault of this run is active now"
      : `${activeNow.length} fault(s) of this run active now: ${activeNow.map((fault) => fault.type).join(", ")}`;
  const result = (state: ResidualState, message: string): ResidualCheck => ({
    state,
    by: residual?.by ?? null,
    checkedAt: residual?.checkedAt ?? null,
    found: residual?.faults ?? [],
    message,
    activeNow,
  });
  if (isLive(status)) {
    // The page renders this once; the live fault events show what is active from moment to moment.
    return result("pending", "Checked when the run ends: no fault of this run may outlive it.");
  }
  if (activeNow.length > 0) {
    return result("residue", `Not clean: ${nowText} (their leases lapse within seconds unless renewed).`);
  }
  const who =
    residual?.by === "sweeper"
      ? "the run's worker died; the sweeper (another worker) checked after it and"
      : "the runner checked at the run's end and";
  if (residual?.state === "residue") {
    const types = residual.faults.map((fault) => fault.type).join(", ") || "unnamed faults";
    return result(
      "residue",
      `Not clean: ${who} found ${residual.faults.length} fault(s) of this run still active (${types}); they were stopped, and ${nowText}.`,
    );
  }
  if (residual?.state === "failed") {
    return result(
      "unverified",
      `Unverified: ${who} could not complete the check (${residual.error ?? "no reason recorded"}); ${nowText}.`,
    );
  }
  if (residual?.state === "clean") {
    return result("clean", `Clean: ${who} found no fault of this run active, and ${nowText}.`);
  }
  if (input.faultsStarted === 0) {
    return result("clean", `Clean: no fault of this run was ever started, and ${nowText}.`);
  }
  return result(
    "unverified",
    `No check is on record for this run (it ended ${status} before one, or before checks were recorded), but ${nowText} (checked in the faults table).`,
  );
}

/** The report's headline figures for the header; null without a report. */
export function prepareReportFigures(record: RunRecord): RunReportFigures | null {
  const report = record.report;
  if (!report) return null;
  return {
    verdict: record.verdict?.verdict ?? report.verdict,
    stopReason: report.stopReason,
    arrivals: report.arrivals,
    expectedArrivals: report.expectedArrivals,
    durationMs: report.durationMs,
  };
}

const LATENCY_METRIC = /^(p\(|avg|min|max)/;

/**
 * The run's result from its typed record: its verdict, every reason it (or a phase) could not be
 * judged — the verdict's own reasons and the report's per-phase validity, without repeats — the
 * kill-switch halts, and each target's accuracy end to end and over answered requests.
 */
export function prepareRunOutcome(record: RunRecord): RunOutcome {
  const { report, verdict } = record;
  const reasons: InvalidReasonView[] = [];
  const seen = new Set<string>();
  const add = (reason: { code: string; phase?: string | undefined; message: string }) => {
    const view = { code: reason.code, phase: reason.phase ?? null, message: reason.message };
    const key = `${view.code}|${view.phase ?? ""}|${view.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    reasons.push(view);
  };
  for (const reason of verdict?.invalidReasons ?? []) add(reason);
  for (const phase of report?.validity ?? []) for (const reason of phase.reasons) add(reason);
  reasons.sort((a, b) => Number(a.phase !== null) - Number(b.phase !== null));
  const invalidPhases: Record<string, string[]> = {};
  for (const phase of report?.validity ?? []) {
    if (phase.valid) continue;
    invalidPhases[phase.phase] = phase.reasons.length
      ? phase.reasons.map((reason) => reason.message)
      : ["its data cannot be judged"];
  }
  const accuracy = (report?.targets ?? []).map((target): TargetAccuracyView => {
    const degradedBy = Object.entries(target.degradedBy)
      .map(([model, count]) => ({ model, count }))
      .sort((a, b) => b.count - a.count);
    return {
      target: target.target,
      role: target.role,
      accuracy: target.accuracy,
      answeredAccuracy: target.answeredAccuracy,
      items: target.items,
      requests: target.requests,
      degraded: target.counts.degraded ?? degradedBy.reduce((sum, entry) => sum + entry.count, 0),
      degradedBy,
    };
  });
  return {
    verdict: verdict?.verdict ?? null,
    invalidReasons: reasons,
    invalidPhases,
    halts: prepareHaltMarkers(report?.halts ?? []),
    latencyInvalid: report?.latencyInvalid ?? false,
    invalidLatencySlos: (verdict?.results ?? []).filter(
      (result) => result.verdict === "invalid" && LATENCY_METRIC.test(result.slo.trim()),
    ).length,
    accuracy,
  };
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
