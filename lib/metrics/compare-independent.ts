// Candidate versus a reference measured in another run: the samples are independent (other
// arrivals, other moments), so the paired statistics of compare.ts do not apply. Accuracy: the
// difference of two proportions with Newcombe's hybrid score interval and a two-proportion z-test;
// any per-second statistic (P99…): compare.ts's block bootstrap, resampling each run on its own.

import { AppError } from "../../kernel/errors";
import {
  type BlockBootstrapComparison,
  blockBootstrap,
  checkConfidence,
  checkMargin,
  decideVerdict,
  type Verdict,
  type VerdictReason,
} from "./compare";
import { normalQuantile, normalSf } from "./distributions";

const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(code, message, 400, details);

export interface ProportionCounts {
  /** Items answered correctly. */
  correct: number;
  /** Items scored. */
  scored: number;
}

/** Wilson's score interval for one proportion (the building block of Newcombe's interval). */
export function wilsonInterval(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval for p1 − p2 from independent samples (Newcombe 1998, Stat Med
 * 17:873–890, method 10): Wilson limits of each proportion combined by squaring and adding. Good
 * coverage at small n and near 0 or 1, where the Wald interval fails; recommended by Fagerland,
 * Lydersen & Laake (2015) for the unpaired difference.
 */
export function newcombeInterval(
  candidate: ProportionCounts,
  reference: ProportionCounts,
  confidence = 0.95,
): [number, number] {
  checkCounts(candidate);
  checkCounts(reference);
  const z = normalQuantile(1 - (1 - checkConfidence(confidence)) / 2);
  const p1 = candidate.correct / candidate.scored;
  const p2 = reference.correct / reference.scored;
  const [l1, u1] = wilsonInterval(candidate.correct, candidate.scored, z);
  const [l2, u2] = wilsonInterval(reference.correct, reference.scored, z);
  const difference = p1 - p2;
  return [
    difference - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    difference + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  ];
}

/** Two-sided p-value of the pooled two-proportion z-test (1 when nothing differs). */
export function twoProportionPValue(candidate: ProportionCounts, reference: ProportionCounts): number {
  checkCounts(candidate);
  checkCounts(reference);
  const pooled = (candidate.correct + reference.correct) / (candidate.scored + reference.scored);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / candidate.scored + 1 / reference.scored));
  const difference = candidate.correct / candidate.scored - reference.correct / reference.scored;
  if (se === 0) return difference === 0 ? 1 : 0;
  return Math.min(1, 2 * normalSf(Math.abs(difference) / se));
}

export interface IndependentAccuracyComparison {
  /** Candidate accuracy − reference accuracy. */
  difference: number;
  interval: [number, number];
  intervalMethod: "Newcombe hybrid score";
  pValue: number;
  test: "two-proportion z";
  verdict: Verdict;
  reason: VerdictReason;
  counts: { candidate: ProportionCounts; reference: ProportionCounts };
  confidence: number;
  margin: number;
}

export function compareAccuracyIndependent(
  candidate: ProportionCounts,
  reference: ProportionCounts,
  options: { confidence?: number; margin?: number } = {},
): IndependentAccuracyComparison {
  const { confidence = 0.95, margin = 0 } = options;
  checkMargin(margin);
  const interval = newcombeInterval(candidate, reference, confidence);
  return {
    difference: candidate.correct / candidate.scored - reference.correct / reference.scored,
    interval,
    intervalMethod: "Newcombe hybrid score",
    pValue: twoProportionPValue(candidate, reference),
    test: "two-proportion z",
    ...decideVerdict(interval, { margin, better: "higher" }),
    counts: { candidate, reference },
    confidence,
    margin,
  };
}

function checkCounts({ correct, scored }: ProportionCounts): void {
  if (
    !(
      Number.isInteger(correct) &&
      Number.isInteger(scored) &&
      scored > 0 &&
      correct >= 0 &&
      correct <= scored
    )
  ) {
    throw invalid(
      "invalid_counts",
      "Counts must be whole numbers with 0 ≤ correct ≤ scored and scored > 0.",
      {
        correct,
        scored,
      },
    );
  }
}

export interface IndependentBootstrapOptions<W> {
  /** Each run's windows, one per second, in time order; the two lengths may differ. */
  candidate: readonly W[];
  reference: readonly W[];
  statistic: (windows: W[]) => number;
  iterations?: number;
  confidence?: number;
  seed: number | string;
  margin?: number;
  /** Which direction of candidate − reference is an improvement (default "lower", as for latency). */
  better?: "lower" | "higher";
}

/** Block lengths are round(n^(1/3)) of each run's own length. */
export type IndependentBootstrapComparison = BlockBootstrapComparison;

/**
 * Percentile-interval bootstrap of statistic(candidate) − statistic(reference) for two runs
 * measured at different times: blockBootstrap with resampling "independent". Nothing is shared
 * between the two runs' draws, so the interval is wider than a paired one would be.
 */
export function bootstrapIndependentDifference<W>(
  options: IndependentBootstrapOptions<W>,
): IndependentBootstrapComparison {
  return blockBootstrap({
    candidate: options.candidate,
    reference: options.reference,
    statistic: options.statistic,
    resampling: "independent",
    seed: options.seed,
    iterations: options.iterations,
    confidence: options.confidence,
    margin: options.margin,
    better: options.better,
  });
}
