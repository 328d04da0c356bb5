// The pure judgements the run page shows beside the charts (its read model's types are in
// ./types.ts): the run's outcome read from its typed record (verdict, why it is invalid, halts,
// accuracy), the residual-fault check, the lag / invalid-latency flags, progress and the current
// phase, the fault events timeline. Safe on server and client.
import type { Outcome } from "../../runner/outcomes";
import type { HaltEvent, ResidualCheck as ResidualRecord, RunRecord } from "../../runner/run-record";
import { FINAL_RUN_STATUSES } from "../../runner/run-status";
import { describeFault, describeFaultEvent } from "../faults/text";
import type {
  ChartMarker,
  ErrorBreakdownRow,
  FaultEventView,
  InvalidReasonView,
  PhaseBand,
  ResidualCheck,
  ResidualState,
  RunActiveFault,
  RunFlags,
  RunOutcome,
  RunProgressView,
  RunReportFigures,
  TargetAccuracyView,
} from "./types";

export const LIVE_STATUSES = ["queued", "running"] as const;
export const FINAL_STATUSES = FINAL_RUN_STATUSES;

export function isLive(status: string): boolean {
  return (LIVE_STATUSES as readonly string[]).includes(status);
}

/** The generator's own threshold for a late send (load-generator's lagThresholdMs default). */
export const LAG_THRESHOLD_MS = 10;

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
    event: describeFaultEvent(event.event),
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
  activeNow: RunActiveFault[];
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
