// Paired accuracy with the dataset ITEM as the unit. A drill sends each item many times, and the
// repeats of one item share its difficulty, so per-request pairs are not independent: 4 items sent
// 60 times each are 4 observations, not 240. Owns the item-level interval, test and verdict.

import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import {
  checkConfidence,
  checkMargin,
  compareAccuracy,
  decideVerdict,
  type McNemarTest,
  type Verdict,
  type VerdictReason,
} from "./compare";
import { studentTQuantile } from "./distributions";

/** One target's repeats of one item. */
export interface ItemTally {
  correct: number;
  total: number;
}

/** The same item (same image, same corruption) on both arms. */
export interface PairedItem {
  candidate: ItemTally;
  baseline: ItemTally;
}

export type ItemTest = McNemarTest | "sign-flip randomization over items";

export interface ItemAccuracyComparison {
  /** Mean over items of p_cand(i) − p_base(i), with p = correct / total. */
  difference: number;
  /** Two-sided, at `confidence`. */
  interval: [number, number];
  intervalMethod: "Tango score" | "paired t over items";
  pValue: number;
  test: ItemTest;
  chiSquare: number | null;
  verdict: Verdict;
  reason: VerdictReason | "too-few-items" | "test-not-significant";
  /**
   * Item level: n distinct items; b items where the candidate's majority of repeats is right and
   * the baseline's wrong, c the reverse (p = ½ on an arm is no majority, so never discordant).
   */
  counts: { b: number; c: number; n: number };
  /** Distinct items compared (= counts.n). */
  items: number;
  /** Repeats summed over the compared items. */
  requests: { candidate: number; baseline: number };
  /** Every item's repeats gave one outcome on each arm (then McNemar and Tango apply as is). */
  repeatsAgree: boolean;
  confidence: number;
  margin: number;
}

export interface ItemAccuracyOptions {
  /** Two-sided confidence level of the interval (default 0.95); the test is held to 1 − confidence. */
  confidence?: number;
  /** Smallest accuracy difference that matters, as a proportion (default 0). */
  margin?: number;
  /** Seed of the Monte Carlo sign flips, used only beyond EXACT_SIGN_FLIPS_UP_TO items (default fixed). */
  seed?: number | string;
}

/** Below this many items no test at the usual levels can reject (mid-p McNemar's least p with 4 is 1/16). */
export const MIN_ITEMS_FOR_VERDICT = 5;
/** Up to this many non-zero differences the sign-flip test enumerates all 2^m patterns. */
export const EXACT_SIGN_FLIPS_UP_TO = 16;
export const MONTE_CARLO_SIGN_FLIPS = 20_000;
const DEFAULT_SEED = "compare-items";

const isCount = (value: number) => Number.isInteger(value) && value >= 0;

function checkTally(tally: ItemTally, index: number, arm: "candidate" | "baseline"): void {
  if (!isCount(tally.correct) || !isCount(tally.total) || tally.correct > tally.total) {
    throw new AppError(
      "invalid_counts",
      "Item tallies must be whole numbers ≥ 0 with correct ≤ total.",
      400,
      { index, arm, correct: tally.correct, total: tally.total },
    );
  }
}

/** The items present in both maps, sorted by key, so the same drill always pairs the same way. */
export function pairItems(
  candidate: ReadonlyMap<string, ItemTally>,
  baseline: ReadonlyMap<string, ItemTally>,
): PairedItem[] {
  const keys = [...candidate.keys()].filter((key) => baseline.has(key)).sort();
  return keys.map((key) => ({
    candidate: candidate.get(key) as ItemTally,
    baseline: baseline.get(key) as ItemTally,
  }));
}

/**
 * Candidate versus baseline on the same items, each item one observation however often it was
 * sent. When every item's repeats agree, the items are plain paired outcomes: McNemar's test and
 * Tango's interval, exactly as compareAccuracy on one send per item. Otherwise the per-item
 * differences d_i = p_cand(i) − p_base(i) get a paired t interval and an exact (or seeded Monte
 * Carlo) sign-flip randomization test. "better"/"worse" needs both the interval and the test.
 */
export function compareItemAccuracy(
  items: readonly PairedItem[],
  options: ItemAccuracyOptions = {},
): ItemAccuracyComparison {
  const { confidence = 0.95, margin = 0, seed = DEFAULT_SEED } = options;
  checkConfidence(confidence);
  checkMargin(margin);
  items.forEach((item, index) => {
    checkTally(item.candidate, index, "candidate");
    checkTally(item.baseline, index, "baseline");
  });
  // An item one arm never answered says nothing about the difference; it is not a zero.
  const kept = items.filter((item) => item.candidate.total > 0 && item.baseline.total > 0);
  const n = kept.length;
  if (n === 0) throw new AppError("no_paired_items", "There are no paired items to compare.", 400);

  const rate = (tally: ItemTally) => tally.correct / tally.total;
  const requests = { candidate: 0, baseline: 0 };
  let b = 0;
  let c = 0;
  let repeatsAgree = true;
  const differences = kept.map((item) => {
    requests.candidate += item.candidate.total;
    requests.baseline += item.baseline.total;
    const candidate = rate(item.candidate);
    const baseline = rate(item.baseline);
    if (!isUnanimous(candidate) || !isUnanimous(baseline)) repeatsAgree = false;
    if (candidate > 0.5 && baseline < 0.5) b += 1;
    else if (candidate < 0.5 && baseline > 0.5) c += 1;
    return candidate - baseline;
  });

  const common = { counts: { b, c, n }, items: n, requests, repeatsAgree, confidence, margin };
  if (repeatsAgree) {
    // Each item is one paired outcome, so the request-level machinery is exactly right.
    const paired = compareAccuracy({ b, c, n }, { confidence, margin });
    return withVerdict(
      {
        difference: paired.difference,
        interval: paired.interval,
        intervalMethod: paired.intervalMethod,
        pValue: paired.pValue,
        test: paired.test,
        chiSquare: paired.chiSquare,
        ...common,
      },
      n,
    );
  }
  return withVerdict(
    {
      difference: mean(differences),
      interval: pairedTInterval(differences, confidence),
      intervalMethod: "paired t over items",
      pValue: signFlipPValue(differences, seed),
      test: "sign-flip randomization over items",
      chiSquare: null,
      ...common,
    },
    n,
  );
}

const isUnanimous = (rate: number) => rate === 0 || rate === 1;

function withVerdict(
  result: Omit<ItemAccuracyComparison, "verdict" | "reason">,
  n: number,
): ItemAccuracyComparison {
  const fromInterval = decideVerdict(result.interval, { margin: result.margin, better: "higher" });
  let decision: Pick<ItemAccuracyComparison, "verdict" | "reason"> = fromInterval;
  if (n < MIN_ITEMS_FOR_VERDICT) decision = { verdict: "inconclusive", reason: "too-few-items" };
  else if (fromInterval.verdict !== "inconclusive" && !(result.pValue < 1 - result.confidence)) {
    decision = { verdict: "inconclusive", reason: "test-not-significant" };
  }
  return { ...result, ...decision };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

// Simulations and dashboards ask for the same few quantiles over and over; each costs a root find.
const tQuantiles = new Map<string, number>();
function tQuantile(p: number, df: number): number {
  const key = `${p}:${df}`;
  let value = tQuantiles.get(key);
  if (value === undefined) {
    value = studentTQuantile(p, df);
    if (tQuantiles.size < 4096) tQuantiles.set(key, value);
  }
  return value;
}

/**
 * Student's t interval for the mean item difference (df = n − 1), clamped to [−1, 1]. One item
 * carries no information about spread, so its interval is all of [−1, 1].
 */
export function pairedTInterval(differences: readonly number[], confidence = 0.95): [number, number] {
  const n = differences.length;
  if (n < 2) return [-1, 1];
  const centre = mean(differences);
  let squares = 0;
  for (const value of differences) squares += (value - centre) ** 2;
  const standardError = Math.sqrt(squares / (n - 1) / n);
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * standardError;
  return [Math.max(-1, centre - half), Math.min(1, centre + half)];
}

/**
 * Two-sided p-value of the sign-flip randomization test of "no difference" on the sum of item
 * differences: under the null each d_i is as likely to be −d_i. Exact over all 2^m patterns of the
 * m non-zero differences up to EXACT_SIGN_FLIPS_UP_TO; beyond, MONTE_CARLO_SIGN_FLIPS seeded flips
 * with the add-one correction, so p is never 0 (Phipson & Smyth 2010, SAGMB 9:39).
 */
export function signFlipPValue(differences: readonly number[], seed: number | string = DEFAULT_SEED): number {
  const nonZero = differences.filter((value) => value !== 0);
  const m = nonZero.length;
  if (m === 0) return 1;
  const observed = Math.abs(nonZero.reduce((sum, value) => sum + value, 0));
  // Equal sums reached in another order may differ in the last bits; count them as ties.
  const scale = nonZero.reduce((sum, value) => sum + Math.abs(value), 0);
  const atLeast = observed - 1e-12 * scale;

  if (m <= EXACT_SIGN_FLIPS_UP_TO) {
    let extreme = 0;
    const patterns = 2 ** m;
    for (let mask = 0; mask < patterns; mask += 1) {
      let sum = 0;
      for (let i = 0; i < m; i += 1) {
        const value = nonZero[i] as number;
        sum += mask & (1 << i) ? -value : value;
      }
      if (Math.abs(sum) >= atLeast) extreme += 1;
    }
    return extreme / patterns;
  }

  const random = createRandom(seed);
  let extreme = 0;
  for (let flip = 0; flip < MONTE_CARLO_SIGN_FLIPS; flip += 1) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < m; i += 1) {
      // One draw gives 32 fair sign bits (next() is a 32-bit integer over 2^32).
      if (i % 32 === 0) bits = random.next() * 4294967296;
      const value = nonZero[i] as number;
      sum += (bits >>> (i % 32)) & 1 ? -value : value;
    }
    if (Math.abs(sum) >= atLeast) extreme += 1;
  }
  return (extreme + 1) / (MONTE_CARLO_SIGN_FLIPS + 1);
}
