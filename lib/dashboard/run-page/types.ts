// The run page's read model: the plain, serialisable shapes the loaders (./data.ts) return, the
// series API answers, and the components render — the run, its chart buckets and phase bands, the
// fault timeline, the residual-fault check and the outcome. Types only: the pure functions that
// fill them live in ./series.ts (chart data) and ./model.ts (judgements).
import type { Outcome } from "../../runner/outcomes";
import type { RunVerdict, SloReport } from "../../runner/run-record";
import type { ActiveFaultView } from "../faults/leases";
import type { Clock, PercentileKey, RunView } from "./view";

// ─── The run and its judgements ──────────────────────────────────────────────────────────────

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

/** What the run page shows of an active fault lease of the run (the overview shows all of it). */
export type RunActiveFault = Pick<ActiveFaultView, "id" | "type" | "expiresAt">;

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
  activeNow: RunActiveFault[];
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
  activeFaults: RunActiveFault[];
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

// ─── Chart data (filled by ./series.ts) ──────────────────────────────────────────────────────

export type LatencyPoint = Partial<Record<PercentileKey, number | null>>;

export interface TargetPoint {
  /** Every request intended in the bucket, whatever its outcome. */
  requests: number;
  /** Latency from the intended send time (corrected for coordinated omission), ms. */
  latencyMs: LatencyPoint;
  /** Latency from the actual send time, ms. */
  serviceMs: LatencyPoint;
  successRate: number | null;
  /** ok answers per second of the bucket. */
  throughputPerSecond: number | null;
  /** End to end: correct / every arrival (a failed one is wrong); null when nothing can be scored. */
  accuracy: number | null;
  /** Correct / answered requests scored. */
  answeredAccuracy: number | null;
  /** Worst lag of the generator behind its schedule in the bucket. */
  maxSendLagMs: number;
}

export interface BucketSlot {
  /** First second of the bucket (seconds since the run started). */
  second: number;
  /** Seconds the bucket spans (the last of a phase, or of a zoom, may be shorter). */
  seconds: number;
  phase: string | null;
}

export interface SeriesBucket extends BucketSlot {
  targets: Record<string, TargetPoint | null>;
}

export interface PhaseBand {
  phase: string;
  startSecond: number;
  endSecond: number;
  faulted: boolean;
  /** Whether "*" SLOs judge it (false for a warm-up). */
  counts: boolean;
  /** One line per fault it injects, e.g. "latency (latencyMs 300) on fp32". */
  faults: string[];
}

export interface ErrorBreakdownRow {
  target: string;
  requests: number;
  counts: Record<Outcome, number>;
}
