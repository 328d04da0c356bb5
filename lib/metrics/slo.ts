// Judges a run against its hypothesis: every SLO per phase × target is pass, warn (missed the
// target, within tolerance), fail, or no_data; then a verdict per target and for the run (the
// candidate's). Also the stop-condition check the runner makes over its trailing windows.
import type { ExperimentSpec, StopCondition } from "../experiments/spec";
import {
  compare,
  type ErrorClass,
  EVERY,
  formatSlo,
  type LatencyClock,
  type MetricSelector,
  type ParsedSlo,
  parseSlo,
  parseThreshold,
} from "./thresholds";

export type Verdict = "pass" | "warn" | "fail" | "no_data";

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
  /** Finished requests of any outcome: ok plus every byClass count. */
  requests: number;
  ok: number;
  byClass: Partial<Record<ErrorClass, number>>;
  latency: Readonly<Record<LatencyClock, LatencyDistribution>>;
  /** Seconds the values cover: throughput = ok / durationSeconds. */
  durationSeconds: number;
  /** Answers judged right, of the answers scored. */
  correct: number;
  scored: number;
  /** Sum of per-item character error rates over the scored items; absent when the task has none. */
  cerSum?: number;
}

/** phase name → target name → values over that phase. A missing entry is no data, not zero. */
export type PhaseAggregates = Readonly<Record<string, Readonly<Record<string, MetricValues>>>>;

export interface SloResult {
  phase: string;
  target: string;
  /** Canonical text: `success_rate>=0.999 ~ >=0.98`. */
  slo: string;
  /** The metric over the phase; null when there was nothing to measure. */
  observed: number | null;
  verdict: Verdict;
}

export interface TargetVerdict {
  target: string;
  role: "candidate" | "baseline";
  /** The worst of its SLO verdicts (pass when no SLO applies to it). */
  verdict: Verdict;
  /** The worst verdict per judged phase. */
  phases: Record<string, Verdict>;
  counts: Record<Verdict, number>;
}

export interface SloReport {
  /** The run's verdict: the candidate's. */
  verdict: Verdict;
  candidate: string;
  targets: TargetVerdict[];
  /** Phase by phase (run order), target by target (spec order), SLO by SLO. */
  results: SloResult[];
}

export type SloSpec = Pick<ExperimentSpec, "targets" | "phases" | "hypothesis">;

/** no_data ranks below warn: an SLO nobody could measure is not within tolerance either. */
const RANK: Readonly<Record<Verdict, number>> = { pass: 0, warn: 1, no_data: 2, fail: 3 };

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = "pass";
  for (const verdict of verdicts) if (RANK[verdict] > RANK[worst]) worst = verdict;
  return worst;
}

/**
 * Every SLO that applies is judged (they add up; a named phase does not replace "*"). "*" as the
 * phase means each phase with `counts: true`; the same SLO reached twice is judged once.
 */
export function evaluateSlos(spec: SloSpec, aggregates: PhaseAggregates): SloReport {
  const results: SloResult[] = [];
  for (const phase of spec.phases) {
    for (const target of spec.targets) {
      const values = aggregates[phase.name]?.[target.name];
      for (const slo of slosFor(spec, phase, target.name)) {
        const observed = values ? observe(values, slo.selector) : undefined;
        results.push({
          phase: phase.name,
          target: target.name,
          slo: formatSlo(slo),
          observed: observed ?? null,
          verdict: judge(observed, slo),
        });
      }
    }
  }
  const targets = spec.targets.map((target) => verdictOf(target, results));
  const candidate = targets.find((target) => target.role === "candidate") ?? targets[0];
  return { verdict: candidate?.verdict ?? "no_data", candidate: candidate?.target ?? "", targets, results };
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

function verdictOf(target: SloSpec["targets"][number], results: readonly SloResult[]): TargetVerdict {
  const own = results.filter((result) => result.target === target.name);
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, no_data: 0 };
  const byPhase = new Map<string, Verdict[]>();
  for (const result of own) {
    counts[result.verdict] += 1;
    byPhase.set(result.phase, [...(byPhase.get(result.phase) ?? []), result.verdict]);
  }
  const phases = Object.fromEntries([...byPhase].map(([phase, verdicts]) => [phase, worstVerdict(verdicts)]));
  return {
    target: target.name,
    role: target.role,
    verdict: worstVerdict(own.map((r) => r.verdict)),
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
  const latency = values.latency[tags.clock ?? "corrected"];
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
      return ratio(values.correct, values.scored);
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
