// Candidate-versus-baseline statistics for a drill: paired accuracy (McNemar's test, Tango's score
// interval) and the one block bootstrap, paired or independent, for any statistic of per-second
// windows (P99 latency…). Verdicts come from the interval, so a practical margin can be applied.

import { AppError } from "../../kernel/errors";
import { createRandom, type Random } from "../../kernel/random";
import { binomialCdf, binomialPmf, chiSquare1Sf, normalQuantile } from "./distributions";
import { percentile } from "./percentile";

export type Verdict = "better" | "worse" | "inconclusive";
export type VerdictReason = "includes-zero" | "straddles-margin" | "within-margin" | "beyond-margin";
/** Which direction of the difference (candidate − baseline) is an improvement. */
export type Better = "higher" | "lower";

export interface VerdictOptions {
  /** Smallest difference that matters in practice, ≥ 0, in the statistic's unit (default 0). */
  margin?: number;
  better: Better;
}

const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(code, message, 400, details);

export function checkMargin(margin: number): number {
  if (!(Number.isFinite(margin) && margin >= 0)) {
    throw invalid("invalid_margin", "The practical margin must be a finite number ≥ 0.", { margin });
  }
  return margin;
}

export function checkConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw invalid("invalid_confidence", "The confidence level must lie strictly between 0 and 1.", {
      confidence,
    });
  }
  return confidence;
}

/**
 * The verdict an interval for (candidate − baseline) supports: "inconclusive" when it holds zero
 * (endpoints included) or straddles ±margin; otherwise "better" or "worse", with `reason` telling
 * whether it clears the margin ("beyond-margin") or lies between zero and it ("within-margin").
 */
export function decideVerdict(
  interval: readonly [number, number],
  { margin = 0, better }: VerdictOptions,
): { verdict: Verdict; reason: VerdictReason } {
  checkMargin(margin);
  const [lo, hi] = interval;
  if (lo <= 0 && hi >= 0) return { verdict: "inconclusive", reason: "includes-zero" };
  const straddles = (edge: number) => lo < edge && edge < hi;
  if (margin > 0 && (straddles(margin) || straddles(-margin))) {
    return { verdict: "inconclusive", reason: "straddles-margin" };
  }
  const positive = lo > 0;
  const nearestToZero = positive ? lo : -hi;
  const improved = positive === (better === "higher");
  return {
    verdict: improved ? "better" : "worse",
    reason: nearestToZero >= margin ? "beyond-margin" : "within-margin",
  };
}

// ─── Paired accuracy: McNemar's test and Tango's interval ────────────────────────────────────

/** One seeded item scored on both targets. */
export interface PairedOutcome {
  candidate: boolean;
  baseline: boolean;
}

/**
 * Paired outcomes as discordant counts (b: candidate right and baseline wrong; c: the reverse;
 * n: all pairs, concordant included) or as the raw per-item pairs.
 */
export type PairedOutcomes = { b: number; c: number; n: number } | { pairs: readonly PairedOutcome[] };

export type McNemarTest = "mid-p binomial" | "exact binomial" | "chi-square, continuity-corrected";

export interface McNemarOptions {
  /** Use the binomial test when b + c is below this (default 25, the usual rule of thumb). */
  exactBelow?: number;
  /** Which binomial p-value for small counts (default "mid-p"; see mcnemarTest). */
  smallSample?: "mid-p" | "exact";
}

export interface McNemarResult {
  pValue: number;
  test: McNemarTest;
  /** The chi-square statistic, when the asymptotic test was used. */
  chiSquare: number | null;
}

export interface CompareAccuracyOptions extends McNemarOptions {
  /** Two-sided confidence level of the interval (default 0.95). */
  confidence?: number;
  /** Smallest accuracy difference that matters, as a proportion (0.01 = one point; default 0). */
  margin?: number;
}

export interface AccuracyComparison {
  /** Candidate accuracy − baseline accuracy, = (b − c) / n. */
  difference: number;
  interval: [number, number];
  intervalMethod: "Tango score";
  pValue: number;
  test: McNemarTest;
  chiSquare: number | null;
  verdict: Verdict;
  reason: VerdictReason;
  counts: { b: number; c: number; n: number };
  confidence: number;
  margin: number;
}

const isCount = (value: number) => Number.isInteger(value) && value >= 0;

/** Discordant counts from paired outcomes, validated. */
export function countDiscordant(outcomes: PairedOutcomes): { b: number; c: number; n: number } {
  if ("pairs" in outcomes) {
    let b = 0;
    let c = 0;
    for (const pair of outcomes.pairs) {
      if (pair.candidate && !pair.baseline) b += 1;
      else if (!pair.candidate && pair.baseline) c += 1;
    }
    return checkCounts(b, c, outcomes.pairs.length);
  }
  return checkCounts(outcomes.b, outcomes.c, outcomes.n);
}

function checkCounts(b: number, c: number, n: number) {
  if (!isCount(b) || !isCount(c) || !isCount(n) || b + c > n) {
    throw invalid("invalid_counts", "Paired counts must be whole numbers ≥ 0 with b + c ≤ n.", { b, c, n });
  }
  if (n === 0) throw invalid("no_paired_items", "There are no paired items to compare.");
  return { b, c, n };
}

/**
 * McNemar's test of equal accuracy from the discordant counts. Below `exactBelow` discordant pairs
 * it conditions on b + c and uses Binomial(b + c, 1/2): by default the mid-p version, which keeps
 * close to the nominal level where the exact one is conservative (Fagerland, Lydersen & Laake
 * 2013, BMC Med Res Methodol 13:91). Otherwise (|b − c| − 1)² / (b + c) against χ²₁ (Edwards 1948).
 */
export function mcnemarTest(b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  const { exactBelow = 25, smallSample = "mid-p" } = options;
  if (!isCount(b) || !isCount(c)) {
    throw invalid("invalid_counts", "Discordant counts must be whole numbers ≥ 0.", { b, c });
  }
  const discordant = b + c;
  if (discordant < exactBelow) {
    const test = smallSample === "exact" ? "exact binomial" : "mid-p binomial";
    // b = c gives p = 1 by symmetry; summing the tail would land an ulp or two below it.
    if (b === c) return { pValue: 1, test, chiSquare: null };
    const smaller = Math.min(b, c);
    const lowerTail = binomialCdf(smaller, discordant, 0.5);
    const pValue =
      smallSample === "exact" ? 2 * lowerTail : 2 * (lowerTail - 0.5 * binomialPmf(smaller, discordant, 0.5));
    return { pValue: Math.min(1, pValue), test, chiSquare: null };
  }
  // Edwards' correction never pushes |b − c| below zero (b = c must give p = 1), and no
  // discordant pair at all is no evidence either way.
  const corrected = Math.max(0, Math.abs(b - c) - 1);
  const chiSquare = discordant === 0 ? 0 : (corrected * corrected) / discordant;
  return { pValue: chiSquare1Sf(chiSquare), test: "chi-square, continuity-corrected", chiSquare };
}

/**
 * Tango's score statistic for H0: Δ = delta0, with the nuisance p21 at its constrained maximum
 * likelihood estimate (Tango 1998, Stat Med 17:891–908). Decreasing in delta0.
 */
function tangoScore(b: number, c: number, n: number, delta0: number): number {
  const A = 2 * n;
  const B = -b - c + (2 * n - b + c) * delta0;
  const C = -c * delta0 * (1 - delta0);
  const p21 = (Math.sqrt(Math.max(0, B * B - 4 * A * C)) - B) / (2 * A);
  const numerator = b - c - n * delta0;
  const variance = n * (2 * p21 + delta0 * (1 - delta0));
  if (variance <= 0) return numerator === 0 ? 0 : Math.sign(numerator) * Number.POSITIVE_INFINITY;
  return numerator / Math.sqrt(variance);
}

/** The delta in [lo, hi] where the decreasing tangoScore crosses `target`, by bisection. */
function solveTango(b: number, c: number, n: number, target: number, lo: number, hi: number): number {
  let low = lo;
  let high = hi;
  for (let i = 0; i < 200 && high - low > 1e-15; i += 1) {
    const mid = (low + high) / 2;
    if (tangoScore(b, c, n, mid) > target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Tango's asymptotic score interval for the paired difference in proportions (b − c) / n. It needs
 * only b, c and n, stays inside [−1, 1], is never degenerate at b = c = 0, and holds its coverage
 * close to nominal even for small samples, where the Wald interval fails; it is among the
 * intervals Fagerland, Lydersen & Laake (2014, Stat Med 33:2850–2875) recommend.
 */
export function tangoInterval(b: number, c: number, n: number, confidence = 0.95): [number, number] {
  checkCounts(b, c, n);
  const z = normalQuantile(1 - (1 - checkConfidence(confidence)) / 2);
  const estimate = (b - c) / n;
  const lower = estimate === -1 ? -1 : solveTango(b, c, n, z, -1, estimate);
  const upper = estimate === 1 ? 1 : solveTango(b, c, n, -z, estimate, 1);
  return [lower, upper];
}

/** Candidate versus one baseline on the same seeded items: McNemar p-value, Tango interval, verdict. */
export function compareAccuracy(
  outcomes: PairedOutcomes,
  options: CompareAccuracyOptions = {},
): AccuracyComparison {
  const { confidence = 0.95, margin = 0 } = options;
  const { b, c, n } = countDiscordant(outcomes);
  checkConfidence(confidence);
  checkMargin(margin);
  const interval = tangoInterval(b, c, n, confidence);
  const test = mcnemarTest(b, c, options);
  return {
    difference: (b - c) / n,
    interval,
    intervalMethod: "Tango score",
    pValue: test.pValue,
    test: test.test,
    chiSquare: test.chiSquare,
    ...decideVerdict(interval, { margin, better: "higher" }),
    counts: { b, c, n },
    confidence,
    margin,
  };
}

// ─── Block bootstrap over per-second windows: one core, paired or independent ───────────────

/**
 * How a replicate redraws the two arms. "paired": both arms saw the same arrival schedule, so one
 * draw of second indices serves both and load shared by a second cancels out. "independent": the
 * arms are runs measured at different times, each redrawn on its own (the candidate first).
 */
export type Resampling = "paired" | "independent";

export interface BlockBootstrapOptions<W> {
  /** The candidate's windows, one per second, in time order. */
  candidate: readonly W[];
  /** What the candidate is measured against: the baseline target (paired) or another run. */
  reference: readonly W[];
  /** Summarises a multiset of windows (e.g. merge histograms, read P99); gets a fresh array. */
  statistic: (windows: W[]) => number;
  /** "paired" needs index-aligned arms of equal length; "independent" lets the lengths differ. */
  resampling: Resampling;
  seed: number | string;
  /** Bootstrap replicates (default 2000). */
  iterations?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** Seconds per block in both arms (default round(n^(1/3)) of each arm's own length, at least 1). */
  blockLength?: number;
  /** Smallest difference that matters, in the statistic's unit (default 0). */
  margin?: number;
  /** Which direction of candidate − reference is an improvement (default "lower", as for latency). */
  better?: Better;
}

export interface BlockBootstrapComparison {
  resampling: Resampling;
  /** statistic(candidate) − statistic(reference) over all windows. */
  estimate: number;
  /** statistic(candidate) and statistic(reference) over all windows, for display beside the difference. */
  candidate: number;
  reference: number;
  interval: [number, number];
  verdict: Verdict;
  reason: VerdictReason;
  /** Replicates that gave a finite difference (the others are dropped, not counted as zero). */
  iterations: number;
  /** Seconds per resampled block in each arm (equal when paired). */
  blockLengths: { candidate: number; reference: number };
  confidence: number;
  margin: number;
}

/**
 * Percentile-interval bootstrap (Efron & Tibshirani 1993, ch. 13) of the difference in a statistic
 * between two arms measured second by second. Indices come in circular blocks of consecutive
 * seconds (Politis & Romano 1992) because a fault makes neighbouring seconds alike; the default
 * length follows the n^(1/3) rate (Hall, Horowitz & Jing 1995). Paired resampling applies one draw
 * to both arms; independent resampling draws each arm on its own, so its interval is wider.
 */
export function blockBootstrap<W>(options: BlockBootstrapOptions<W>): BlockBootstrapComparison {
  const {
    candidate,
    reference,
    statistic,
    resampling,
    iterations = 2000,
    confidence = 0.95,
    margin = 0,
    better = "lower",
  } = options;
  const lengths = { candidate: candidate.length, reference: reference.length };
  if (resampling === "paired" && (lengths.candidate === 0 || lengths.reference !== lengths.candidate)) {
    throw invalid(
      "unpaired_windows",
      "A paired bootstrap needs the same, non-zero number of windows in each arm.",
      lengths,
    );
  }
  if (lengths.candidate === 0 || lengths.reference === 0) {
    throw invalid("no_windows", "Both runs need at least one window to compare.", lengths);
  }
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw invalid("invalid_iterations", "Bootstrap iterations must be a whole number ≥ 1.", { iterations });
  }
  checkConfidence(confidence);
  checkMargin(margin);
  const shortest = Math.min(lengths.candidate, lengths.reference);
  const blockOf = (n: number) => options.blockLength ?? Math.max(1, Math.round(Math.cbrt(n)));
  const blockLengths = { candidate: blockOf(lengths.candidate), reference: blockOf(lengths.reference) };
  if (
    options.blockLength !== undefined &&
    !(Number.isInteger(options.blockLength) && options.blockLength >= 1 && options.blockLength <= shortest)
  ) {
    throw invalid("invalid_block_length", "The block length must be a whole number of seconds in [1, n].", {
      blockLength: options.blockLength,
      n: shortest,
    });
  }

  const candidateValue = statistic([...candidate]);
  const referenceValue = statistic([...reference]);
  const random = createRandom(options.seed);
  const candidateIndices = new Uint32Array(lengths.candidate);
  const referenceIndices = resampling === "paired" ? candidateIndices : new Uint32Array(lengths.reference);
  const pick = (windows: readonly W[], indices: Uint32Array) =>
    Array.from(indices, (index) => windows[index] as W);
  const differences: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    drawCircularBlocks(random, candidateIndices, blockLengths.candidate);
    const candidateReplicate = statistic(pick(candidate, candidateIndices));
    if (resampling === "independent") drawCircularBlocks(random, referenceIndices, blockLengths.reference);
    const difference = candidateReplicate - statistic(pick(reference, referenceIndices));
    if (Number.isFinite(difference)) differences.push(difference);
  }
  const interval = percentileInterval(differences, confidence);
  return {
    resampling,
    estimate: candidateValue - referenceValue,
    candidate: candidateValue,
    reference: referenceValue,
    interval,
    ...decideVerdict(interval, { margin, better }),
    iterations: differences.length,
    blockLengths,
    confidence,
    margin,
  };
}

/** Fills `indices` with runs of `blockLength` consecutive positions from random starts, wrapping. */
function drawCircularBlocks(random: Random, indices: Uint32Array, blockLength: number): void {
  const n = indices.length;
  for (let filled = 0; filled < n; ) {
    const start = random.int(0, n - 1);
    for (let offset = 0; offset < blockLength && filled < n; offset += 1) {
      indices[filled] = (start + offset) % n;
      filled += 1;
    }
  }
}

/** The two-sided percentile interval of bootstrap replicates (their finite differences). */
export function percentileInterval(differences: readonly number[], confidence: number): [number, number] {
  if (differences.length === 0) {
    throw invalid("bootstrap_failed", "The statistic gave no finite value on any bootstrap replicate.");
  }
  const tail = ((1 - confidence) / 2) * 100;
  return [percentile(differences, tail), percentile(differences, 100 - tail)];
}

// ─── The paired bootstrap of a drill's targets ───────────────────────────────────────────────

export interface BootstrapOptions<W> {
  /** The candidate's windows, one per second, index-aligned with the baseline's. */
  candidate: readonly W[];
  baseline: readonly W[];
  /** Summarises a multiset of windows (e.g. merge histograms, read P99); gets a fresh array. */
  statistic: (windows: W[]) => number;
  /** Bootstrap replicates (default 2000). */
  iterations?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  seed: number | string;
  /** Both arms saw the same arrival schedule, so second i of one pairs with second i of the other. */
  paired: true;
  /** Seconds per resampled block (default round(n^(1/3)), at least 1); 1 = the plain paired bootstrap. */
  blockLength?: number;
  /** Smallest difference that matters, in the statistic's unit (default 0). */
  margin?: number;
  /** Which direction of candidate − baseline is an improvement (default "lower", as for latency). */
  better?: Better;
}

/**
 * The paired result as run reports store it. `baseline` (= reference) and `blockLength` (the one
 * length both arms share) are the names stored reports and their readers use; reports stored
 * before the two bootstraps shared one core lack `resampling`, `reference` and `blockLengths`.
 */
export interface BootstrapComparison
  extends Omit<BlockBootstrapComparison, "resampling" | "reference" | "blockLengths">,
    Partial<Pick<BlockBootstrapComparison, "resampling" | "reference" | "blockLengths">> {
  baseline: number;
  blockLength: number;
}

/**
 * The paired block bootstrap of candidate − baseline for two targets of one drill: blockBootstrap
 * with resampling "paired", its result carrying `baseline` and `blockLength` as well.
 */
export function bootstrapDifference<W>(
  options: BootstrapOptions<W>,
): BlockBootstrapComparison & Pick<BootstrapComparison, "baseline" | "blockLength"> {
  if (options.paired !== true) {
    throw invalid(
      "unpaired_bootstrap",
      "Only the paired bootstrap is supported: both arms share one schedule.",
    );
  }
  const result = blockBootstrap({
    candidate: options.candidate,
    reference: options.baseline,
    statistic: options.statistic,
    resampling: "paired",
    seed: options.seed,
    iterations: options.iterations,
    confidence: options.confidence,
    blockLength: options.blockLength,
    margin: options.margin,
    better: options.better,
  });
  return { ...result, baseline: result.reference, blockLength: result.blockLengths.candidate };
}
