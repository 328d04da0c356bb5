// The resilience score: 0–100 per compared target, a weighted mean of metrics min-max normalised
// across the targets of one comparison (a ranking within a drill, not an absolute grade). The
// output carries each component's raw value, normalised value and weight for the UI to show.

import { AppError } from "../../kernel/errors";

export type MetricDirection = "higher" | "lower";

/** The metrics a score can use, and which way is better for each. */
export const RESILIENCE_METRICS = {
  accuracy: "higher",
  successRate: "higher",
  throughputRps: "higher",
  p99LatencyMs: "lower",
  errorRate: "lower",
  cer: "lower",
} as const satisfies Record<string, MetricDirection>;

export type ResilienceMetric = keyof typeof RESILIENCE_METRICS;
export type ResilienceWeights = Partial<Record<ResilienceMetric, number>>;

/**
 * Default weights: answer quality under faults first (accuracy 0.40), then whether requests
 * succeed at all (success rate 0.35), then tail latency (P99 0.25). Metrics left out are shown
 * only if given a weight (0 shows a metric without scoring it).
 */
export const DEFAULT_RESILIENCE_WEIGHTS = {
  accuracy: 0.4,
  successRate: 0.35,
  p99LatencyMs: 0.25,
} as const satisfies ResilienceWeights;

export interface ResilienceTarget {
  /** The target's id (model version, deployment…), echoed in the output. */
  id: string;
  /** Rates and accuracy as proportions in [0, 1]; null, undefined or NaN means no data. */
  metrics: Partial<Record<ResilienceMetric, number | null | undefined>>;
}

export interface ResilienceComponent {
  metric: ResilienceMetric;
  direction: MetricDirection;
  /** The measured value, or null when this target has no data for the metric. */
  raw: number | null;
  /** In [0, 1], 1 = best among the compared targets; null when raw is null. */
  normalised: number | null;
  /** Share of the score when every weighted component has data (configured weights summed to 1). */
  weight: number;
  /** Share actually used for this target, after leaving out missing components; 0 when missing. */
  effectiveWeight: number;
  /** Range over the targets that have data, or null when none has. */
  range: { min: number; max: number } | null;
  /** Every target with data has the same value, so each gets normalised 1. */
  tied: boolean;
}

export interface ResilienceScore {
  id: string;
  /** 0–100, or null when none of the weighted metrics has data for this target. */
  score: number | null;
  components: ResilienceComponent[];
  /** Metrics with no data for this target (left out of its score). */
  missing: ResilienceMetric[];
  /** The weights were rescaled because a weighted metric is missing. */
  renormalised: boolean;
  /** One sentence for the UI when something was left out; null when the score is complete. */
  note: string | null;
}

export interface ResilienceOptions {
  /** Non-negative weights, rescaled to sum to 1 (default DEFAULT_RESILIENCE_WEIGHTS). */
  weights?: ResilienceWeights;
}

const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(code, message, 400, details);

function readWeights(weights: ResilienceWeights): [ResilienceMetric, number][] {
  const entries: [ResilienceMetric, number][] = [];
  for (const [metric, weight] of Object.entries(weights)) {
    if (!Object.hasOwn(RESILIENCE_METRICS, metric)) {
      throw invalid("unknown_metric", `"${metric}" is not a resilience metric.`, {
        metric,
        known: Object.keys(RESILIENCE_METRICS),
      });
    }
    if (weight === undefined) continue;
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw invalid("invalid_weight", `The weight of ${metric} must be a finite number ≥ 0.`, {
        metric,
        weight,
      });
    }
    entries.push([metric as ResilienceMetric, weight]);
  }
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw invalid("invalid_weight", "At least one resilience weight must be positive.");
  return entries.map(([metric, weight]) => [metric, weight / total]);
}

function readValue(target: ResilienceTarget, metric: ResilienceMetric): number | null {
  const value = target.metrics[metric];
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  if (!Number.isFinite(value)) {
    throw invalid("invalid_metric", `${metric} of ${target.id} must be finite (or null for no data).`, {
      target: target.id,
      metric,
      value,
    });
  }
  return value;
}

/**
 * Scores each target against the others, in input order. When every target with data ties on a
 * metric (max = min), each gets 1 for it: a shared value separates no one. A metric with no data
 * for a target is never read as 0 or 1: it is left out and that target's other weights rescaled.
 */
export function scoreResilience(
  targets: readonly ResilienceTarget[],
  options: ResilienceOptions = {},
): ResilienceScore[] {
  const weights = readWeights(options.weights ?? DEFAULT_RESILIENCE_WEIGHTS);
  const ids = new Set<string>();
  for (const target of targets) {
    if (ids.has(target.id)) throw invalid("duplicate_target", `The target ${target.id} appears twice.`);
    ids.add(target.id);
  }

  const values = targets.map((target) => weights.map(([metric]) => readValue(target, metric)));
  const ranges = weights.map((_, column) => {
    const present = values.map((row) => row[column]).filter((value): value is number => value != null);
    return present.length === 0 ? null : { min: Math.min(...present), max: Math.max(...present) };
  });

  return targets.map((target, row) => {
    const components = weights.map(([metric, weight], column): ResilienceComponent => {
      const direction = RESILIENCE_METRICS[metric];
      const raw = values[row]?.[column] ?? null;
      const range = ranges[column] ?? null;
      const tied = range !== null && range.max === range.min;
      let normalised: number | null = null;
      if (raw !== null && range !== null) {
        const span = range.max - range.min;
        if (tied) normalised = 1;
        else normalised = direction === "higher" ? (raw - range.min) / span : (range.max - raw) / span;
      }
      return { metric, direction, raw, normalised, weight, effectiveWeight: 0, range, tied };
    });

    const missing = components
      .filter((component) => component.raw === null)
      .map((component) => component.metric);
    const present = components.filter((component) => component.normalised !== null && component.weight > 0);
    const presentWeight = present.reduce((sum, component) => sum + component.weight, 0);
    const renormalised = present.length > 0 && components.some((c) => c.raw === null && c.weight > 0);
    let score: number | null = null;
    if (presentWeight > 0) {
      score = 0;
      for (const component of present) {
        component.effectiveWeight = component.weight / presentWeight;
        score += component.effectiveWeight * (component.normalised as number);
      }
      score = Math.min(100, Math.max(0, score * 100));
    }
    return {
      id: target.id,
      score,
      components,
      missing,
      renormalised,
      note: describeMissing(score, missing, present, renormalised),
    };
  });
}

function describeMissing(
  score: number | null,
  missing: readonly ResilienceMetric[],
  present: readonly ResilienceComponent[],
  renormalised: boolean,
): string | null {
  if (missing.length === 0) return null;
  const list = missing.join(", ");
  if (score === null) return `No data for ${list}: no weighted metric left to score.`;
  if (!renormalised) return `No data for ${list} (weight 0, not part of the score).`;
  const kept = present.map((component) => component.metric).join(", ");
  return `No data for ${list}: left out, and the weights of ${kept} were rescaled to sum to 1.`;
}
