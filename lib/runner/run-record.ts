// What a finished run leaves behind, as one typed record: the report (runs.summary) and the SLO
// verdicts (runs.verdict), with the run's validity, the halts that cut it and the residual-fault
// check. The runner (and the worker, for a run whose worker died) writes it through
// `runRecordColumns`; every reader — API, CLI, JUnit, dashboard, overview trend, notifications —
// goes through `readRunRecord`. Nothing is parsed back out of prose.
//
// Fields added after the first release carry defaults, so records written by older versions
// still read (their runs simply have no validity findings, halts or residual check on record).
import { z } from "zod";
import type { AccuracyComparison, BootstrapComparison } from "../metrics/compare";
import type { ItemAccuracyComparison } from "../metrics/compare-items";
import type { ResilienceScore } from "../metrics/resilience";
import type { AbsoluteResilience } from "../metrics/resilience-slo";

/** What a run's data supports. `invalid`: no verdict is possible (see `invalidReasons`). */
export const RunVerdict = z.enum(["pass", "warn", "fail", "invalid"]);
export type RunVerdict = z.infer<typeof RunVerdict>;

/** One SLO's verdict. `no_data`: nothing was measured; `invalid`: measured, but not trustworthy. */
export const SloVerdict = z.enum(["pass", "warn", "fail", "no_data", "invalid"]);
export type SloVerdict = z.infer<typeof SloVerdict>;

export const INVALID_CODES = [
  /** A phase's faults did not all start (refused, chaos halted, control API down). */
  "faults_not_started",
  /** A phase's fault ended before the phase did (halt, lapsed lease, stopped by someone else). */
  "faults_cut_short",
  /** The kill switch was thrown while the run was going. */
  "halted",
  /** The run was aborted on request before this phase ended. */
  "aborted",
  /** The run stopped (stop condition, failed fault start) before this phase ended. */
  "stopped_early",
  /** The generator fell behind its schedule: latencies are not trustworthy. */
  "generator_behind",
  /** An SLO had nothing to measure. */
  "no_data",
] as const;
export const InvalidCode = z.enum(INVALID_CODES);
export type InvalidCode = z.infer<typeof InvalidCode>;

export const InvalidReason = z.object({
  code: InvalidCode,
  /** The phase it concerns; absent when it concerns the whole run. */
  phase: z.string().optional(),
  message: z.string(),
});
export type InvalidReason = z.infer<typeof InvalidReason>;

export const PhaseValidity = z.object({
  phase: z.string(),
  valid: z.boolean(),
  reasons: z.array(InvalidReason),
});
export type PhaseValidity = z.infer<typeof PhaseValidity>;

/** A kill-switch halt that happened while the run was going. */
export const HaltEvent = z.object({
  at: z.string(),
  /** Seconds since the load started (the charts' x axis). */
  second: z.number(),
  /** Who threw the switch (token name, `admin`, or `system`). */
  actor: z.string(),
  /** Phases whose faults it ended. */
  phases: z.array(z.string()),
});
export type HaltEvent = z.infer<typeof HaltEvent>;

export const ResidualCheck = z.object({
  /** clean: nothing of the run's was active; residue: something was, and was stopped; failed: the check could not run. */
  state: z.enum(["clean", "residue", "failed"]),
  /** runner: at the run's end; sweeper: another worker, after this run's worker died. */
  by: z.enum(["runner", "sweeper"]).default("runner"),
  faults: z.array(z.object({ id: z.string(), type: z.string() })),
  checkedAt: z.string(),
  /** Why the check failed (state failed only). */
  error: z.string().optional(),
});
export type ResidualCheck = z.infer<typeof ResidualCheck>;

// ─── SLO verdicts (runs.verdict) ─────────────────────────────────────────────────────────────

export const SloResult = z.object({
  phase: z.string(),
  target: z.string(),
  /** Canonical text: `success_rate>=0.999 ~ >=0.98`. */
  slo: z.string(),
  observed: z.number().nullable(),
  verdict: SloVerdict,
  /** Why it is invalid or no_data; absent otherwise. */
  reason: z.string().optional(),
  /** Absent or slo: judged against the hypothesis; stop: a stop condition that held and stopped the run. */
  kind: z.enum(["slo", "stop"]).optional(),
});
export type SloResult = z.infer<typeof SloResult>;
export type SloResultInput = z.input<typeof SloResult>;

const VerdictCounts = z.object({
  pass: z.number(),
  warn: z.number(),
  fail: z.number(),
  no_data: z.number(),
  invalid: z.number().default(0),
});

export const TargetVerdict = z.object({
  target: z.string(),
  role: z.enum(["candidate", "baseline"]),
  verdict: RunVerdict,
  phases: z.record(z.string(), SloVerdict),
  counts: VerdictCounts,
});
export type TargetVerdict = z.infer<typeof TargetVerdict>;

export const SloReport = z.object({
  /** The run's verdict: the candidate's, over valid data only. */
  verdict: RunVerdict,
  candidate: z.string(),
  targets: z.array(TargetVerdict),
  results: z.array(SloResult),
  /** Why the verdict is invalid (or what kept parts of the run from being judged). */
  invalidReasons: z.array(InvalidReason).default([]),
});
export type SloReport = z.infer<typeof SloReport>;

// ─── The report (runs.summary) ───────────────────────────────────────────────────────────────

const Quantiles = z.object({
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  p999: z.number().nullable(),
});

/** Correct answers out of repeats, per distinct item (image + corruption), for item-level pairing. */
export const ItemTallies = z.object({
  keys: z.array(z.string()),
  correct: z.array(z.number()),
  total: z.array(z.number()),
});
export type ItemTallies = z.infer<typeof ItemTallies>;

export const TargetReport = z.object({
  target: z.string(),
  role: z.enum(["candidate", "baseline"]),
  verdict: RunVerdict.or(z.literal("no_data")),
  /** Every arrival, overflows included. */
  requests: z.number(),
  /** ok / requests: overflowed, failed and degraded arrivals are not successes. */
  successRate: z.number().nullable(),
  throughputPerSecond: z.number().nullable(),
  /** End to end: correct / scorable arrivals; a failed, overflowed or degraded request is wrong. */
  accuracy: z.number().nullable(),
  /** Correct / answered (ok) requests that were scored. */
  answeredAccuracy: z.number().nullable().default(null),
  cer: z.number().nullable(),
  counts: z.record(z.string(), z.number()),
  /** Fallback answers by the model that served them. */
  degradedBy: z.record(z.string(), z.number()).default({}),
  /** Distinct items sent (the unit of the paired comparison). */
  items: z.number().nullable().default(null),
  itemTallies: ItemTallies.optional(),
  /** Over answered requests. */
  latencyMs: Quantiles,
  serviceMs: Quantiles,
});
export type TargetReport = z.infer<typeof TargetReport>;

export const PhaseTargetReport = z.object({
  phase: z.string(),
  target: z.string(),
  counts: z.boolean(),
  requests: z.number(),
  successRate: z.number().nullable(),
  accuracy: z.number().nullable(),
  answeredAccuracy: z.number().nullable().default(null),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Whether this phase's data can be judged, and why not. */
  valid: z.boolean().default(true),
});
export type PhaseTargetReport = z.infer<typeof PhaseTargetReport>;

/** The latest failures of one target and outcome class (every class but ok), with their count. */
export const FailureSamples = z.object({
  target: z.string(),
  outcome: z.string(),
  count: z.number(),
  samples: z.array(
    z.object({ second: z.number(), phase: z.string(), itemKey: z.string(), message: z.string() }),
  ),
});
export type FailureSamples = z.infer<typeof FailureSamples>;

/** Per-request rows stored in item_results, and those dropped beyond the per-run cap. */
export const ItemResultsCount = z.object({ stored: z.number(), dropped: z.number(), cap: z.number() });
export type ItemResultsCount = z.infer<typeof ItemResultsCount>;

/** A comparison the data could not make, with why. */
export interface NoComparison {
  verdict: "inconclusive";
  reason: string;
}

/**
 * Statistics are checked for the fields every reader relies on; the rest is the producing
 * module's type (lib/metrics), which owns its shape.
 */
const shaped = <T>(shape: z.ZodType) => z.custom<T>((value) => shape.safeParse(value).success);
const VerdictShape = z.object({ verdict: z.enum(["better", "worse", "inconclusive"]) });
const ScoreShape = z.object({ id: z.string(), score: z.number().nullable() });

export const ComparisonReport = z.object({
  baseline: z.string(),
  // Item-level since verdicts took the item as the unit; request-level in older records.
  accuracy: shaped<ItemAccuracyComparison | AccuracyComparison | NoComparison>(VerdictShape),
  p99: shaped<BootstrapComparison | NoComparison>(VerdictShape),
  /** The phases compared: valid, counted, and faulted alike for both targets. */
  phases: z.array(z.string()).optional(),
});
export type ComparisonReport = z.infer<typeof ComparisonReport>;

const RunReportShape = z.object({
  verdict: RunVerdict.or(z.literal("no_data")),
  stopReason: z.string().nullable(),
  latencyInvalid: z.boolean(),
  maxSendLagMs: z.number(),
  arrivals: z.number(),
  expectedArrivals: z.number(),
  durationMs: z.number(),
  targets: z.array(TargetReport),
  phases: z.array(PhaseTargetReport),
  comparisons: z.array(ComparisonReport),
  /** Absolute: from each target's own SLOs and tolerances (lib/metrics/resilience-slo.ts). */
  resilience: z.array(shaped<AbsoluteResilience>(ScoreShape)),
  /** The min–max view across this run's targets: a rank, labelled relative wherever shown. */
  resilienceRelative: z.array(shaped<ResilienceScore>(ScoreShape)).default([]),
  validity: z.array(PhaseValidity).default([]),
  halts: z.array(HaltEvent).default([]),
  /** When the load started (ISO), so halts and fault events can be placed on the charts. */
  loadStartedAt: z.string().nullable().default(null),
  // The two below always read filled in (the defaults apply); optional in the type so reports
  // built by hand (fixtures) need not name them.
  /** Latest failures per target × class; runs before per-item results have none on record. */
  failureSamples: z.array(FailureSamples).default([]).optional(),
  /** Null for runs before per-item results were stored. */
  itemResults: ItemResultsCount.nullable().default(null).optional(),
});
/**
 * Reports written before the absolute score stored the min–max rank under `resilience`: it is
 * read as what it was, the relative view, and such runs have no absolute score.
 */
function moveRankedResilience(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const report = value as { resilience?: unknown; resilienceRelative?: unknown };
  const entries = Array.isArray(report.resilience) ? report.resilience : [];
  const absolute = entries.every((entry) => (entry as { method?: unknown })?.method === "slo");
  if (absolute || report.resilienceRelative !== undefined) return value;
  return { ...report, resilience: [], resilienceRelative: entries };
}

export const RunReport = z.preprocess(moveRankedResilience, RunReportShape);
export type RunReport = z.infer<typeof RunReportShape>;
export type RunReportInput = z.input<typeof RunReportShape>;

export interface RunRecord {
  report: RunReport | null;
  verdict: SloReport | null;
  /** Null until the run ended (or when its worker died before the check could run). */
  residual: ResidualCheck | null;
}

/** runs.summary, runs.verdict and runs.residual as the runner (or a surviving worker) writes them. */
export function runRecordColumns(record: Partial<RunRecord>) {
  return {
    ...(record.report ? { summary: RunReport.parse(record.report) as object } : {}),
    ...(record.verdict ? { verdict: SloReport.parse(record.verdict) as object } : {}),
    ...(record.residual ? { residual: ResidualCheck.parse(record.residual) as object } : {}),
  };
}

const readAs = <T>(schema: z.ZodType<T>, value: unknown): T | null => {
  if (value == null) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/**
 * The one reader of runs.summary / runs.verdict / runs.residual. A column that is empty or not a
 * record of this shape (written by hand, or by a version before these records existed) reads as
 * null: no report, rather than a guess.
 */
export function readRunRecord(row: { summary: unknown; verdict: unknown; residual?: unknown }): RunRecord {
  return {
    report: readAs(RunReport, row.summary),
    verdict: readAs(SloReport, row.verdict),
    residual: readAs(ResidualCheck, row.residual),
  };
}
