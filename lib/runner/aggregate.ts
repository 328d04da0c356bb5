// From windows to the numbers verdicts are made of: MetricValues (lib/metrics/slo.ts) for a set
// of windows, grouped by phase and target, and the per-target summary a run report shows.
import { type Histogram, maxMs, meanMs, mergeHistograms, minMs, percentileMs } from "../metrics/histogram";
import type { LatencyDistribution, MetricValues, PhaseAggregates } from "../metrics/slo";
import { countsByOutcome, type LoadWindow, mergeWindows, totalRequests } from "./windows";

/** Accessors over a histogram, built on first use (`{outcomes:all}` merges two only when asked). */
function distribution(histogram: Histogram | (() => Histogram)): LatencyDistribution {
  const get = typeof histogram === "function" ? histogram : () => histogram;
  return {
    percentileMs: (p) => percentileMs(get(), p),
    avgMs: () => meanMs(get()),
    minMs: () => minMs(get()),
    maxMs: () => maxMs(get()),
  };
}

/**
 * One target's values over some windows; `durationSeconds` is the span they stand for. Every
 * arrival counts in the rates, overflows (never sent) and fallback answers included.
 */
export function metricValues(
  windows: readonly LoadWindow[],
  durationSeconds: number,
  options: { cerSum?: number; scorable: boolean },
): MetricValues {
  const span = mergeWindows(windows);
  let answeredAndFailed: Histogram | undefined;
  const allOutcomes = () => {
    answeredAndFailed ??= mergeHistograms([span.latency, span.failedLatency()]);
    return answeredAndFailed;
  };
  const { ok: _ok, ...byClass } = countsByOutcome(span);
  return {
    requests: totalRequests(span),
    ok: span.ok,
    byClass,
    latency: { corrected: distribution(span.latency), service: distribution(span.service) },
    latencyAllOutcomes: distribution(allOutcomes),
    durationSeconds: Math.max(1, durationSeconds),
    correct: span.correct,
    scored: span.scored,
    scorable: options.scorable,
    ...(options.cerSum === undefined ? {} : { cerSum: options.cerSum }),
  };
}

/** phase → target → values, from every window of the run. */
export function phaseAggregates(
  windows: readonly LoadWindow[],
  phaseSeconds: ReadonlyMap<string, number>,
  cerSums: ReadonlyMap<string, number>,
  scorable: boolean,
): PhaseAggregates {
  const grouped = new Map<string, Map<string, LoadWindow[]>>();
  for (const window of windows) {
    const byTarget = grouped.get(window.phase) ?? new Map<string, LoadWindow[]>();
    grouped.set(window.phase, byTarget);
    byTarget.set(window.target, [...(byTarget.get(window.target) ?? []), window]);
  }
  const result: Record<string, Record<string, MetricValues>> = {};
  for (const [phase, byTarget] of grouped) {
    result[phase] = {};
    for (const [target, list] of byTarget) {
      result[phase][target] = metricValues(list, phaseSeconds.get(phase) ?? 1, {
        cerSum: cerSums.get(`${phase}\u0000${target}`),
        scorable,
      });
    }
  }
  return result;
}
