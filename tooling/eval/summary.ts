// Turns evaluation cells into the figures people read: accuracy, loose accuracy, corpus CER and
// latency percentiles per cell, and the corruption errors (mCE, relative mCE) of each model
// against a baseline, as in Hendrycks & Dietterich's ImageNet-C.
import { percentile } from "../../lib/metrics/percentile";
import type { Cell } from "./run-eval";

export interface CellSummary
  extends Pick<Cell, "model" | "corruption" | "severity" | "items" | "errors" | "correct" | "correctLoose"> {
  accuracy: number;
  accuracyLoose: number;
  cer: number;
  metrics: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

export interface CorruptionErrors {
  model: string;
  baseline: string;
  /** Per corruption: Σ_s error(model) / Σ_s error(baseline). */
  ce: Record<string, number | null>;
  mCE: number | null;
  /** Per corruption: Σ_s (error − clean error)(model) / Σ_s (error − clean error)(baseline). */
  relativeCe: Record<string, number | null>;
  relativeMCE: number | null;
}

export function summariseCell(cell: Cell): CellSummary {
  const items = Math.max(1, cell.items);
  return {
    model: cell.model,
    corruption: cell.corruption,
    severity: cell.severity,
    items: cell.items,
    errors: cell.errors,
    correct: cell.correct,
    correctLoose: cell.correctLoose,
    accuracy: cell.correct / items,
    accuracyLoose: cell.correctLoose / items,
    cer: cell.referenceChars === 0 ? 0 : cell.editDistance / cell.referenceChars,
    metrics: Object.fromEntries(Object.entries(cell.metricSums).map(([name, sum]) => [name, sum / items])),
    p50Ms: percentile(cell.latenciesMs, 50),
    p99Ms: percentile(cell.latenciesMs, 99),
  };
}

export function corruptionErrors(
  summaries: CellSummary[],
  model: string,
  baseline: string,
): CorruptionErrors {
  const error = (m: string, corruption: string, severity: number) => {
    const cell = summaries.find(
      (s) => s.model === m && s.corruption === corruption && s.severity === severity,
    );
    return cell ? 1 - cell.accuracy : undefined;
  };
  const corruptions = [
    ...new Set(summaries.filter((s) => s.corruption !== "clean").map((s) => s.corruption)),
  ];
  const ce: Record<string, number | null> = {};
  const relativeCe: Record<string, number | null> = {};
  const cleanModel = error(model, "clean", 0) ?? 0;
  const cleanBaseline = error(baseline, "clean", 0) ?? 0;
  for (const corruption of corruptions) {
    const severities = summaries
      .filter((s) => s.model === model && s.corruption === corruption)
      .map((s) => s.severity);
    let modelSum = 0;
    let baselineSum = 0;
    let modelRelative = 0;
    let baselineRelative = 0;
    for (const severity of severities) {
      const m = error(model, corruption, severity) ?? 0;
      const b = error(baseline, corruption, severity) ?? 0;
      modelSum += m;
      baselineSum += b;
      modelRelative += m - cleanModel;
      baselineRelative += b - cleanBaseline;
    }
    // A baseline that never errs leaves the ratio undefined, not infinite.
    ce[corruption] = baselineSum > 0 ? modelSum / baselineSum : null;
    relativeCe[corruption] = baselineRelative > 0 ? modelRelative / baselineRelative : null;
  }
  return {
    model,
    baseline,
    ce,
    mCE: mean(Object.values(ce)),
    relativeCe,
    relativeMCE: mean(Object.values(relativeCe)),
  };
}

function mean(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}
