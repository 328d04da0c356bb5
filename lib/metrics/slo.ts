// Judges a run against its hypothesis: every SLO per phase × target is pass, warn (missed the
// target, within tolerance), fail, no_data (nothing to measure) or invalid (measured, but the
// phase's data cannot support a verdict: its faults did not all start, were cut short, the run
// stopped before it ended, or — for latency — the generator fell behind). Then a verdict per
// target and for the run (the candidate's): fail wins only on valid data; anything unjudged makes
// the verdict invalid, never pass (docs/verdicts.md). Also the stop-condition check the runner
// makes over its trailing windows.
import type { ExperimentSpec, StopCondition } from "../experiments/spec";
import type {
  InvalidReason,
  RunVerdict,
  SloReport,
  SloResult,
  SloVerdict,
  TargetVerdict,
} from "../runner/run-record";
import {
  compare,
  type ErrorClass,
  EVERY,
  formatSelector,
  formatSlo,
  isLatencyMetric,
  type LatencyClock,
  type MetricSelector,
  type ParsedSlo,
  parseSlo,
  parseThreshold,
} from "./thresholds";

export type Verdict = SloVerdict;
export type { RunVerdict, SloReport, SloResult, TargetVerdict };

/**
 * Latencies through accessors, so HDR histograms (lib/metrics/histogram.ts), merged windows or
 * plain samples all fit. Each returns null when nothing was recorded, which makes the SLO no_data.
 */
export interface LatencyDistribution {
  /** Latency (ms) at percentile p, 0 < p ≤ 100. */
  percentileMs(p: number): number | null;
  avgMs(): number | null;
  minMs(): number | null;
  maxMs(): number | null;
}

/** What one target did over one span (a phase, or a trailing window). */
export interface MetricValues {
  /** Every arrival, whatever its outcome: ok plus every byClass count (overflow and degraded too). */
  requests: number;
  ok: number;
  byClass: Partial<Record<ErrorClass, number>>;
  /** Over answered (ok) requests: failures live in the error rates. */
  latency: Readonly<Record<LatencyClock, LatencyDistribution>>;
  /** Corrected clock, every request that got a latency (`{outcomes:all}`); absent = answered only. */
  latencyAllOutcomes?: LatencyDistribution;
  /** Seconds the values cover: throughput = ok / durationSeconds. */
  durationSeconds: number;
  /** Answers judged right, of the answered requests scored. */
  correct: number;
  scored: number;
  /** The items have reference answers: end-to-end accuracy is correct / requests. */
  scorable?: boolean;
  /** Sum of per-item character error rates over the scored items; absent when the task has none. */
  cerSum?: number;
}

/** phase name → target name → values over that phase. A missing entry is no data, not zero. */
export type PhaseAggregates = Readonly<Record<string, Readonly<Record<string, MetricValues>>>>;

export type SloSpec = Pick<ExperimentSpec, "targets" | "phases" | "hypothesis">;

/** For one phase's verdict cell: unjudged ranks below warn, fail above everything. */
const RANK: Readonly<Record<Verdict, number>> = { pass: 0, warn: 1, no_data: 2, invalid: 3, fail: 4 };

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = "pass";
  for (const verdict of verdicts) if (RANK[verdict] > RANK[worst]) worst = verdict;
  return worst;
}

/**
 * What a set of SLO verdicts supports: fail when one failed (on valid data: an invalid SLO is
 * never judged fail); otherwise invalid when anything could not be judged, or when the run has
 * reasons to be invalid of its own; otherwise warn or pass.
 */
export function runVerdictOf(verdicts: readonly Verdict[], runInvalid: boolean): RunVerdict {
  if (verdicts.includes("fail")) return "fail";
  if (runInvalid || verdicts.includes("invalid") || verdicts.includes("no_data")) return "invalid";
  return verdicts.includes("warn") ? "warn" : "pass";
}

/** What keeps parts of a run from being judged (lib/runner/validity.ts decides them). */
export interface JudgementLimits {
  /** Phase name → why its data cannot be judged; absent phases are valid. */
  invalidPhases?: ReadonlyMap<string, readonly InvalidReason[]>;
  /** Why latency SLOs cannot be judged anywhere in the run (the generator fell behind). */
  latencyInvalid?: InvalidReason;
  /** Reasons that concern the whole run (aborted, halted…), listed with the verdict. */
  runReasons?: readonly InvalidReason[];
  /** A stop condition that held: a failure judged on the data it was seen in (see stopBreachResult). */
  breaches?: readonly SloResult[];
}

/** A stop condition that stopped the run, as the failed result it is. */
export function stopBreachResult(breach: StopBreach, phase: string): SloResult {
  return {
    phase,
    target: breach.target,
    slo: `stop: ${breach.condition.when} over ${breach.condition.overSeconds} s`,
    observed: breach.observed,
    verdict: "fail",
    reason: breach.reason,
    kind: "stop",
  };
}

/**
 * Every SLO that applies is judged (they add up; a named phase does not replace "*"). "*" as the
 * phase means each phase with `counts: true`; the same SLO reached twice is judged once.
 */
export function evaluateSlos(
  spec: SloSpec,
  aggregates: PhaseAggregates,
  limits: JudgementLimits = {},
): SloReport {
  const results: SloResult[] = [];
  for (const phase of spec.phases) {
    const phaseReasons = limits.invalidPhases?.get(phase.name) ?? [];
    for (const target of spec.targets) {
      const values = aggregates[phase.name]?.[target.name];
      for (const slo of slosFor(spec, phase, target.name)) {
        const observed = values ? observe(values, slo.selector) : undefined;
        const result: SloResult = {
          phase: phase.name,
          target: target.name,
          slo: formatSlo(slo),
          observed: observed ?? null,
          verdict: judge(observed, slo),
        };
        const invalid =
          phaseReasons[0] ?? (isLatencyMetric(slo.selector.metric) ? limits.latencyInvalid : undefined);
        if (invalid) {
          result.verdict = "invalid";
          result.reason = invalid.message;
        } else if (result.verdict === "no_data") {
          result.reason = `nothing to measure ${formatSelector(slo.selector)} on in ${phase.name}`;
        }
        results.push(result);
      }
    }
  }
  results.push(...(limits.breaches ?? []));
  const invalidReasons = [
    ...(limits.runReasons ?? []),
    ...[...(limits.invalidPhases?.values() ?? [])].flat(),
    ...(limits.latencyInvalid ? [limits.latencyInvalid] : []),
  ];
  const targets = spec.targets.map((target) => verdictOf(target, results, invalidReasons.length > 0));
  const candidate = targets.find((target) => target.role === "candidate") ?? targets[0];
  const verdict = candidate?.verdict ?? "invalid";
  const noSlo = !results.some((result) => result.target === candidate?.target);
  return {
    verdict,
    candidate: candidate?.target ?? "",
    targets,
    results,
    invalidReasons:
      verdict === "invalid" && invalidReasons.length === 0 && noSlo
        ? [{ code: "no_data", message: "no SLO applies to the candidate: there is nothing to judge" }]
        : invalidReasons,
  };
}

function slosFor(spec: SloSpec, phase: SloSpec["phases"][number], target: string): ParsedSlo[] {
  const texts = new Map<string, ParsedSlo>();
  for (const entry of spec.hypothesis) {
    const phaseMatches = entry.phase === phase.name || (entry.phase === EVERY && phase.counts);
    if (!phaseMatches || (entry.target !== EVERY && entry.target !== target)) continue;
    for (const slo of entry.slos) {
      const parsed = parseSlo(slo);
      texts.set(formatSlo(parsed), parsed);
    }
  }
  return [...texts.values()];
}

function verdictOf(
  target: SloSpec["targets"][number],
  results: readonly SloResult[],
  runInvalid: boolean,
): TargetVerdict {
  const own = results.filter((result) => result.target === target.name);
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, no_data: 0, invalid: 0 };
  const byPhase = new Map<string, Verdict[]>();
  for (const result of own) {
    counts[result.verdict] += 1;
    byPhase.set(result.phase, [...(byPhase.get(result.phase) ?? []), result.verdict]);
  }
  const phases = Object.fromEntries([...byPhase].map(([phase, verdicts]) => [phase, worstVerdict(verdicts)]));
  return {
    target: target.name,
    role: target.role,
    // A target without any SLO has nothing to pass: invalid, unless it is only a baseline.
    verdict:
      own.length === 0 && target.role === "candidate"
        ? "invalid"
        : runVerdictOf(
            own.map((r) => r.verdict),
            runInvalid,
          ),
    phases,
    counts,
  };
}

/** pass when the target is met, warn when only the tolerance is, fail otherwise; no_data without a value. */
export function judge(observed: number | undefined, slo: ParsedSlo): Verdict {
  if (observed === undefined) return "no_data";
  if (compare(observed, slo.target)) return "pass";
  return slo.tolerance && compare(observed, slo.tolerance) ? "warn" : "fail";
}

/** The metric's value, or undefined when the span holds nothing to compute it from. */
export function observe(values: MetricValues, selector: MetricSelector): number | undefined {
  const value = rawValue(values, selector);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

function rawValue(values: MetricValues, selector: MetricSelector): number | undefined {
  const { tags } = selector;
  const latency =
    tags.outcomes === "all" && values.latencyAllOutcomes
      ? values.latencyAllOutcomes
      : values.latency[tags.clock ?? "corrected"];
  switch (selector.metric) {
    case "success_rate":
      return ratio(values.ok, values.requests);
    case "error_rate":
      return ratio(tags.class ? countOf(values, tags.class) : values.requests - values.ok, values.requests);
    case "p":
      return latency.percentileMs(selector.percentile ?? 100) ?? undefined;
    case "avg":
      return latency.avgMs() ?? undefined;
    case "min":
      return latency.minMs() ?? undefined;
    case "max":
      return latency.maxMs() ?? undefined;
    case "throughput":
      return values.durationSeconds > 0 ? values.ok / values.durationSeconds : undefined;
    case "accuracy":
      // End to end by default: every arrival of a scorable item, a failed one counting as wrong.
      if (tags.over === "answered") return ratio(values.correct, values.scored);
      return values.scorable === false ? undefined : ratio(values.correct, values.requests);
    case "cer":
      return values.cerSum === undefined ? undefined : ratio(values.cerSum, values.scored);
    case "count":
      return tags.class ? countOf(values, tags.class) : values.requests;
  }
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : undefined);

const countOf = (values: MetricValues, outcome: ErrorClass | "ok") =>
  outcome === "ok" ? values.ok : (values.byClass[outcome] ?? 0);

export interface StopBreach {
  condition: StopCondition;
  target: string;
  observed: number;
  /** One sentence for the run's abort reason. */
  reason: string;
}

/**
 * The first stop condition that holds for some target over its trailing window, or undefined.
 * `trailing(overSeconds)` gives each target's values over the last `overSeconds` seconds; a
 * window without data never stops a run, so wait until the first window has filled.
 */
export function checkStopConditions(
  conditions: readonly StopCondition[],
  trailing: (overSeconds: number) => Readonly<Record<string, MetricValues>>,
): StopBreach | undefined {
  const windows = new Map<number, Readonly<Record<string, MetricValues>>>();
  for (const condition of conditions) {
    const threshold = parseThreshold(condition.when);
    const window = windows.get(condition.overSeconds) ?? trailing(condition.overSeconds);
    windows.set(condition.overSeconds, window);
    const targets = condition.target === EVERY ? Object.keys(window) : [condition.target];
    for (const target of targets) {
      const values = window[target];
      const observed = values ? observe(values, threshold) : undefined;
      if (observed !== undefined && compare(observed, threshold)) {
        const shown = Number(observed.toPrecision(4));
        const reason = `Stop condition ${condition.when} held for ${target} over the last ${condition.overSeconds} s (observed ${shown}).`;
        return { condition, target, observed, reason };
      }
    }
  }
  return undefined;
}
