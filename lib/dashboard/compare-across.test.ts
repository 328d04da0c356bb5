// Runs against run 1: independent-sample verdicts, accuracy only on the same items.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../chaos/random";
import { percentileOfBuckets, type SparseHistogram } from "../metrics/histogram";
import { type CandidateSample, indexedPercentile, prepareAcrossRuns } from "./compare-across";
import { makeRun } from "./compare-test-support";

const fp32 = { name: "fp32", role: "candidate" as const, accuracy: 0.9 };
const int8 = { name: "int8", role: "baseline" as const, accuracy: 0.88 };

/** `seconds` one-second windows of 10 requests each, around `medianMs`. */
function sample(
  runIndex: number,
  correct: number,
  scored: number,
  medianMs: number,
  seconds = 60,
): CandidateSample {
  const windows: SparseHistogram[] = Array.from({ length: seconds }, (_, second) =>
    Array.from({ length: 10 }, (_, request) => ({
      valueMs: medianMs + ((second * 7 + request * 13) % 20),
      count: 1,
    })),
  );
  return { runIndex, correct, scored, seconds: windows };
}

describe("prepareAcrossRuns", () => {
  const runs = [
    makeRun({ id: "00000000-0000-4000-8000-000000000001", targets: [fp32, int8] }),
    makeRun({ id: "00000000-0000-4000-8000-000000000002", targets: [fp32, int8] }),
    makeRun({ id: "00000000-0000-4000-8000-000000000003", dataset: "vqa-v1", targets: [fp32] }),
  ];

  it("compares each later run's candidate with run 1's: worse accuracy, slower P99", () => {
    const [line] = prepareAcrossRuns(runs.slice(0, 2), [sample(1, 570, 600, 20), sample(2, 480, 600, 60)]);
    assert.ok(line);
    assert.equal(line.label, "run 2 · fp32");
    assert.equal(line.reference, "run 1 · fp32");
    assert.equal(line.accuracy.verdict, "worse");
    assert.equal(line.accuracy.estimate?.toFixed(1), "-15.0");
    assert.ok((line.accuracy.interval?.[1] ?? 0) < 0);
    assert.equal(line.accuracy.test, "two-proportion z");
    assert.equal(line.p99.verdict, "worse");
    assert.ok((line.p99.interval?.[0] ?? 0) > 0);
    assert.match(
      line.sentence,
      /^run 2 · fp32 vs run 1 · fp32: accuracy −15\.0 pp \[−\d+\.\d, −\d+\.\d\] p < 0\.001 → worse; P99 \+40\.0 ms \[40\.0, 40\.0\] → worse$/,
    );
  });

  it("says inconclusive when a rerun of the same system lands close to run 1", () => {
    const [line] = prepareAcrossRuns(runs.slice(0, 2), [sample(1, 540, 600, 20), sample(2, 543, 600, 20)]);
    assert.equal(line?.accuracy.verdict, "inconclusive");
    assert.equal(line?.p99.verdict, "inconclusive");
  });

  it("does not compare accuracy on different items, but still compares P99", () => {
    const lines = prepareAcrossRuns(runs, [
      sample(1, 570, 600, 20),
      sample(2, 560, 600, 20),
      sample(3, 300, 600, 20),
    ]);
    assert.equal(lines.length, 2);
    const other = lines[1];
    assert.equal(other?.accuracy.status, "unavailable");
    assert.match(other?.accuracy.reason ?? "", /different items \(vqa-v1 against textline-v1\)/);
    assert.equal(other?.p99.status, "measured");
  });

  it("needs two seconds in each run for P99, and gives nothing for a single run", () => {
    const [line] = prepareAcrossRuns(runs.slice(0, 2), [sample(1, 5, 10, 20, 1), sample(2, 5, 10, 20)]);
    assert.equal(line?.p99.status, "unavailable");
    assert.deepEqual(prepareAcrossRuns(runs.slice(0, 1), [sample(1, 5, 10, 20)]), []);
  });
});

describe("indexedPercentile", () => {
  it("equals percentileOfBuckets (HdrHistogram's rank rule) on 200 random sets of seconds", () => {
    const random = createRandom(17);
    for (let trial = 0; trial < 200; trial += 1) {
      const seconds: SparseHistogram[] = Array.from({ length: random.int(1, 30) }, () =>
        Array.from({ length: random.int(0, 6) }, () => ({
          valueMs: random.int(1, 40) * 0.5,
          count: random.int(1, 9),
        })),
      );
      for (const percentile of [1, 50, 90, 99, 99.9, 100]) {
        const expected = percentileOfBuckets(seconds, percentile) ?? Number.NaN;
        assert.ok(
          Object.is(indexedPercentile(seconds, percentile), expected),
          `trial ${trial}, p${percentile}`,
        );
      }
    }
  });
});
