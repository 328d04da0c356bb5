// Runs compared with each other: each later run's candidate against the first run's candidate
// (the reference). The runs saw different arrivals at different times, so these are
// independent-sample statistics (Newcombe interval on accuracy, a per-run block bootstrap on P99),
// wider than the paired ones within a run. Accuracy is only compared on the same items (dataset
// and corruptions). Pure: no I/O, no React.
import { bootstrapIndependentDifference, compareAccuracyIndependent } from "../metrics/compare-independent";
import type { SparseHistogram } from "../metrics/histogram";
import type { RunInput } from "./compare";
import { formatMs } from "./compare-format";
import { accuracyDifference, type DifferenceEstimate, p99Difference, unavailable } from "./compare-verdicts";

/** A run's candidate, measured over the phases that count. */
export interface CandidateSample {
  runIndex: number;
  /** Items scored and answered correctly over the counted phases. */
  correct: number;
  scored: number;
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
  accuracy: DifferenceEstimate;
  p99: DifferenceEstimate;
  /** "run 2 · fp32 vs run 1 · fp32: accuracy … → worse; P99 … → inconclusive". */
  sentence: string;
}

const BOOTSTRAP_ITERATIONS = 500;

export function prepareAcrossRuns(
  runs: readonly RunInput[],
  samples: readonly CandidateSample[],
): AcrossRunsLine[] {
  const first = runs[0];
  const reference = samples.find((sample) => sample.runIndex === 1);
  const referenceName = first?.targets.find((target) => target.role === "candidate")?.name;
  if (!first || !reference || !referenceName) return [];
  const referenceLabel = `run 1 · ${referenceName}`;
  return runs.slice(1).flatMap((run, offset) => {
    const runIndex = offset + 2;
    const candidate = run.targets.find((target) => target.role === "candidate")?.name;
    const sample = samples.find((entry) => entry.runIndex === runIndex);
    if (!candidate || !sample) return [];
    const accuracy = sameItems(first, run)
      ? accuracyAcross(sample, reference)
      : unavailable(
          "accuracy",
          `different items (${describeItems(run)} against ${describeItems(first)}): accuracy is compared on the same dataset and corruptions only`,
        );
    const p99 = p99Across(sample, reference, `${run.id}:${first.id}`);
    const label = `run ${runIndex} · ${candidate}`;
    return [
      {
        runIndex,
        runId: run.id,
        candidate,
        label,
        reference: referenceLabel,
        accuracy,
        p99,
        sentence: `${label} vs ${referenceLabel}: ${accuracy.text}; ${p99.text}`,
      },
    ];
  });
}

function sameItems(a: RunInput, b: RunInput): boolean {
  return a.dataset === b.dataset && describeItems(a) === describeItems(b);
}

function describeItems(run: RunInput): string {
  const corruptions = [...run.datasetCorruptions].sort();
  return corruptions.length > 0 ? `${run.dataset} with ${corruptions.join(", ")}` : run.dataset;
}

function accuracyAcross(sample: CandidateSample, reference: CandidateSample): DifferenceEstimate {
  if (sample.scored === 0 || reference.scored === 0)
    return unavailable("accuracy", "no scored items in one of the runs");
  const comparison = compareAccuracyIndependent(
    { correct: sample.correct, scored: sample.scored },
    { correct: reference.correct, scored: reference.scored },
  );
  const percent = (correct: number, scored: number) => `${((correct / scored) * 100).toFixed(1)} %`;
  return accuracyDifference({
    ...comparison,
    detail: `${percent(sample.correct, sample.scored)} of ${sample.scored} items against ${percent(reference.correct, reference.scored)} of ${reference.scored}; independent samples (${comparison.intervalMethod} interval, ${comparison.test} test)`,
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
