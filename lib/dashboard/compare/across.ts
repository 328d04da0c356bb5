// Runs compared with each other: each later run's candidate against the first run's candidate
// (the reference), only when both are runs of the same experiment and spec version — otherwise the
// page warns and draws no verdict across them. Accuracy is paired on distinct items (each run's
// per-item tallies, key = item + corruption): repeats of an item are one observation. P99: the
// runs saw different arrivals at different times, so a per-run block bootstrap (independent
// samples), wider than the paired one within a run. Pure: no I/O, no React.
import { bootstrapIndependentDifference } from "../../metrics/compare-independent";
import { compareItemAccuracy, type ItemTally, pairItems } from "../../metrics/compare-items";
import type { SparseHistogram } from "../../metrics/histogram";
import { formatMs } from "./format";
import type { RunInput } from "./types";
import { accuracyDifference, type DifferenceEstimate, p99Difference, unavailable } from "./verdicts";

/** A run's candidate, measured over the phases that count. */
export interface CandidateSample {
  runIndex: number;
  /** One entry per counted second: that second's latency histogram as buckets (intended-send clock). */
  seconds: SparseHistogram[];
}

export interface AcrossRunsLine {
  runIndex: number;
  runId: string;
  candidate: string;
  /** "run 2 · fp32". */
  label: string;
  /** "run 1 · fp32". */
  reference: string;
  /** Why no verdict is drawn against run 1 (another experiment or spec version); null when compared. */
  withheld: string | null;
  accuracy: DifferenceEstimate | null;
  p99: DifferenceEstimate | null;
  /** "run 2 · fp32 vs run 1 · fp32: accuracy … → worse; P99 … → inconclusive", or why not. */
  sentence: string;
}

const BOOTSTRAP_ITERATIONS = 500;

export interface SelectionCheck {
  /** One sentence when the runs are not all of one experiment and spec version; null when they are. */
  warning: string | null;
  /** Run index → why it is not compared with run 1. */
  withheld: Record<number, string>;
}

const shortSha = (sha: string) => sha.slice(0, 8);
const describeRun = (run: RunInput, index: number) =>
  `#${index + 1} ${run.experiment} v${run.version} (spec ${shortSha(run.specSha256)})`;

/**
 * Runs of different experiments, or of different versions of one spec, measured different drills:
 * their figures can sit side by side, but a paired verdict across them would compare unlike
 * things. Says so once, and which runs are not compared with run 1.
 */
export function checkSelection(runs: readonly RunInput[]): SelectionCheck {
  const first = runs[0];
  const withheld: Record<number, string> = {};
  if (!first) return { warning: null, withheld };
  runs.slice(1).forEach((run, offset) => {
    const runIndex = offset + 2;
    if (run.experimentId !== first.experimentId) {
      withheld[runIndex] =
        `run ${runIndex} is of another experiment (${run.experiment}) than run 1 (${first.experiment})`;
    } else if (run.specSha256 !== first.specSha256) {
      withheld[runIndex] =
        `run ${runIndex} ran another spec version (v${run.version}, ${shortSha(run.specSha256)}) than run 1 (v${first.version}, ${shortSha(first.specSha256)})`;
    }
  });
  const kinds = new Set(runs.map((run) => `${run.experimentId}|${run.specSha256}`));
  if (kinds.size < 2) return { warning: null, withheld };
  const experiments = new Set(runs.map((run) => run.experimentId)).size > 1;
  return {
    warning: `These runs are ${experiments ? "of different experiments" : "of different versions of the experiment's spec"} (${runs.map(describeRun).join("; ")}): they measured different drills, so their figures are shown side by side but no paired verdict is drawn across them.`,
    withheld,
  };
}

export function prepareAcrossRuns(
  runs: readonly RunInput[],
  samples: readonly CandidateSample[],
): AcrossRunsLine[] {
  const first = runs[0];
  const reference = samples.find((sample) => sample.runIndex === 1);
  const referenceName = first?.targets.find((target) => target.role === "candidate")?.name;
  if (!first || !referenceName) return [];
  const referenceLabel = `run 1 · ${referenceName}`;
  const { withheld } = checkSelection(runs);
  return runs.slice(1).flatMap((run, offset): AcrossRunsLine[] => {
    const runIndex = offset + 2;
    const candidate = run.targets.find((target) => target.role === "candidate")?.name;
    if (!candidate) return [];
    const label = `run ${runIndex} · ${candidate}`;
    const line = { runIndex, runId: run.id, candidate, label, reference: referenceLabel };
    const why = withheld[runIndex];
    if (why) {
      const sentence = `${label} vs ${referenceLabel}: no verdict — ${why}.`;
      return [{ ...line, withheld: why, accuracy: null, p99: null, sentence }];
    }
    const accuracy = accuracyAcross(run, first, `${run.id}:${first.id}`);
    const sample = samples.find((entry) => entry.runIndex === runIndex);
    // A run whose generator fell behind has no trustworthy latency: no P99 verdict against it.
    const behind = [run, first].find((entry) => entry.report.latencyInvalid);
    const p99 = behind
      ? unavailable(
          "P99",
          `the load generator of ${behind === first ? "run 1" : `run ${runIndex}`} fell behind its schedule`,
        )
      : sample && reference
        ? p99Across(sample, reference, `${run.id}:${first.id}`)
        : unavailable("P99", "no latency windows in one of the runs");
    const sentence = `${label} vs ${referenceLabel}: ${accuracy.text}; ${p99.text}`;
    return [{ ...line, withheld: null, accuracy, p99, sentence }];
  });
}

/** The candidate's per-item tallies (key = item + corruption); null for a run recorded without them. */
function candidateItems(run: RunInput): Map<string, ItemTally> | null {
  const candidate = run.report.targets.find((target) => target.role === "candidate");
  const tallies = candidate?.itemTallies;
  if (!tallies) return null;
  return new Map(
    tallies.keys.map((key, index) => [
      key,
      { correct: tallies.correct[index] ?? 0, total: tallies.total[index] ?? 0 },
    ]),
  );
}

function accuracyAcross(run: RunInput, reference: RunInput, seed: string): DifferenceEstimate {
  const mine = candidateItems(run);
  const theirs = candidateItems(reference);
  if (!mine || !theirs) return unavailable("accuracy", "no per-item record");
  const items = pairItems(mine, theirs).filter((item) => item.candidate.total > 0 && item.baseline.total > 0);
  if (items.length === 0) return unavailable("accuracy", "no item in common");
  const comparison = compareItemAccuracy(items, { seed });
  return accuracyDifference({
    ...comparison,
    detail: `${comparison.items} distinct items in both runs (${comparison.requests.candidate} and ${comparison.requests.baseline} requests); ${comparison.counts.b} right only in this run, ${comparison.counts.c} only in run 1 (${comparison.test}, ${comparison.intervalMethod} interval)`,
  });
}

function p99Across(sample: CandidateSample, reference: CandidateSample, seed: string): DifferenceEstimate {
  if (sample.seconds.length < 2 || reference.seconds.length < 2)
    return unavailable("P99", "fewer than two seconds measured in one of the runs");
  const values = new IndexedValues([...sample.seconds, ...reference.seconds]);
  const comparison = bootstrapIndependentDifference<IndexedSecond>({
    candidate: sample.seconds.map((second) => values.index(second)),
    reference: reference.seconds.map((second) => values.index(second)),
    statistic: (seconds) => values.percentile(seconds, 99),
    iterations: BOOTSTRAP_ITERATIONS,
    seed,
  });
  return p99Difference({
    ...comparison,
    detail: `${formatMs(comparison.candidate)} against ${formatMs(comparison.reference)}; each run resampled on its own (blocks of ${comparison.blockLengths.candidate} s and ${comparison.blockLengths.reference} s), ${comparison.iterations} replicates`,
  });
}

/** A second's buckets as positions in IndexedValues' sorted value list, with their counts. */
interface IndexedSecond {
  positions: Uint32Array;
  counts: Float64Array;
}

/**
 * The bootstrap recombines thousands of seconds hundreds of times; `percentileOfBuckets` merges
 * through a Map and sorts on every call (about 4 s for two one-hour runs). Here the distinct
 * values of both runs are sorted once, each second becomes (position, count) pairs, and a
 * replicate's percentile is one pass of additions into a dense array and one scan: the same
 * rank rule, so the same values (checked against percentileOfBuckets in the tests).
 */
class IndexedValues {
  private readonly sorted: number[];
  private readonly positionOf = new Map<number, number>();
  private readonly totals: Float64Array;

  constructor(seconds: readonly SparseHistogram[]) {
    const distinct = new Set<number>();
    for (const second of seconds) for (const { valueMs } of second) distinct.add(valueMs);
    this.sorted = [...distinct].sort((a, b) => a - b);
    for (const [position, value] of this.sorted.entries()) this.positionOf.set(value, position);
    this.totals = new Float64Array(this.sorted.length);
  }

  index(second: SparseHistogram): IndexedSecond {
    return {
      positions: Uint32Array.from(second, ({ valueMs }) => this.positionOf.get(valueMs) as number),
      counts: Float64Array.from(second, ({ count }) => count),
    };
  }

  percentile(seconds: readonly IndexedSecond[], percentile: number): number {
    const totals = this.totals;
    totals.fill(0);
    let total = 0;
    for (const { positions, counts } of seconds) {
      for (let i = 0; i < positions.length; i += 1) {
        const position = positions[i] as number;
        const count = counts[i] as number;
        totals[position] = (totals[position] as number) + count;
        total += count;
      }
    }
    if (total === 0) return Number.NaN;
    const exact = (Math.min(percentile, 100) / 100) * total;
    const rank = Math.max(1, Math.ceil(exact - exact * Number.EPSILON));
    let seen = 0;
    for (let position = 0; position < totals.length; position += 1) {
      seen += totals[position] as number;
      if (seen >= rank) return this.sorted[position] as number;
    }
    return this.sorted.at(-1) as number;
  }
}

/** For tests: the indexed percentile of some seconds, as p99Across computes it. */
export function indexedPercentile(seconds: readonly SparseHistogram[], percentile: number): number {
  const values = new IndexedValues(seconds);
  return values.percentile(
    seconds.map((second) => values.index(second)),
    percentile,
  );
}
