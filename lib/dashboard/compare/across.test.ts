// Runs against run 1: accuracy paired on distinct items, P99 from independent samples, and no
// verdict at all across experiments or spec versions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../../kernel/random";
import { makeRun, tallies } from "../../../testing/compare-fixtures";
import { percentileOfBuckets, type SparseHistogram } from "../../metrics/histogram";
import { type CandidateSample, checkSelection, indexedPercentile, prepareAcrossRuns } from "./across";

const int8 = { name: "int8", role: "baseline" as const, accuracy: 0.88 };
/** 60 items sent 3 times each; `right` of them answered right every time, the rest never. */
const fp32 = (right: number) => ({
  name: "fp32",
  role: "candidate" as const,
  accuracy: right / 60,
  items: 60,
  itemTallies: tallies(Array.from({ length: 60 }, (_, index) => (index < right ? 3 : 0))),
});

/** `seconds` one-second windows of 10 requests each, around `medianMs`. */
function sample(runIndex: number, medianMs: number, seconds = 60): CandidateSample {
  const windows: SparseHistogram[] = Array.from({ length: seconds }, (_, second) =>
    Array.from({ length: 10 }, (_, request) => ({
      valueMs: medianMs + ((second * 7 + request * 13) % 20),
      count: 1,
    })),
  );
  return { runIndex, seconds: windows };
}

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe("prepareAcrossRuns", () => {
  it("pairs accuracy on distinct items (n = items, not requests) and compares P99: worse, slower", () => {
    const runs = [
      makeRun({ id: id(1), targets: [fp32(57), int8] }),
      makeRun({ id: id(2), targets: [fp32(30), int8] }),
    ];
    const [line] = prepareAcrossRuns(runs, [sample(1, 20), sample(2, 60)]);
    assert.ok(line?.accuracy && line.p99);
    assert.equal(line.withheld, null);
    assert.equal(line.label, "run 2 · fp32");
    assert.equal(line.reference, "run 1 · fp32");
    assert.equal(line.accuracy.verdict, "worse");
    assert.equal(line.accuracy.items, 60, "n is the distinct items, not the 180 requests");
    assert.equal(line.accuracy.estimate?.toFixed(1), "-45.0");
    assert.match(line.accuracy.text, /n = 60 items → worse$/);
    assert.equal(line.p99.verdict, "worse");
    assert.ok((line.p99.interval?.[0] ?? 0) > 0);
  });

  it("gives no P99 verdict against a run whose generator fell behind, and still pairs accuracy", () => {
    const behind = makeRun({ id: id(2), targets: [fp32(30), int8] });
    behind.report.latencyInvalid = true;
    const [line] = prepareAcrossRuns(
      [makeRun({ id: id(1), targets: [fp32(57), int8] }), behind],
      [sample(1, 20), sample(2, 60)],
    );
    assert.equal(line?.accuracy?.verdict, "worse");
    assert.notEqual(line?.p99?.verdict, "worse");
    assert.match(line?.p99?.text ?? "", /run 2 fell behind its schedule/);
  });

  it("says inconclusive when a rerun of the same system lands close to run 1", () => {
    const runs = [
      makeRun({ id: id(1), targets: [fp32(50), int8] }),
      makeRun({ id: id(2), targets: [fp32(51), int8] }),
    ];
    const [line] = prepareAcrossRuns(runs, [sample(1, 20), sample(2, 20)]);
    assert.equal(line?.accuracy?.verdict, "inconclusive");
    assert.equal(line?.p99?.verdict, "inconclusive");
  });

  it("gives no accuracy verdict for a run recorded without per-item tallies", () => {
    const older = { name: "fp32", role: "candidate" as const, accuracy: 0.5 };
    const runs = [
      makeRun({ id: id(1), targets: [fp32(57), int8] }),
      makeRun({ id: id(2), targets: [older, int8] }),
    ];
    const [line] = prepareAcrossRuns(runs, [sample(1, 20), sample(2, 20)]);
    assert.equal(line?.accuracy?.status, "unavailable");
    assert.equal(line?.accuracy?.reason, "no per-item record");
    assert.match(line?.accuracy?.text ?? "", /^accuracy: no verdict \(no per-item record\)$/);
    assert.equal(line?.p99?.status, "measured");
  });

  it("draws no verdict across different experiments or spec versions, and says why", () => {
    const runs = [
      makeRun({ id: id(1), experiment: "latency-drill", targets: [fp32(57), int8] }),
      makeRun({ id: id(2), experiment: "overload-drill", targets: [fp32(30), int8] }),
      makeRun({ id: id(3), experiment: "latency-drill", version: 2, targets: [fp32(30), int8] }),
    ];
    const lines = prepareAcrossRuns(runs, [sample(1, 20), sample(2, 60), sample(3, 60)]);
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.equal(line.accuracy, null, line.label);
      assert.equal(line.p99, null, line.label);
      assert.ok(line.withheld);
    }
    assert.match(lines[0]?.withheld ?? "", /another experiment \(overload-drill\)/);
    assert.match(lines[1]?.withheld ?? "", /another spec version \(v2/);
    assert.match(lines[0]?.sentence ?? "", /no verdict/);
    const check = checkSelection(runs);
    assert.match(
      check.warning ?? "",
      /^These runs are of different experiments .*no paired verdict is drawn across them\.$/,
    );
  });

  it("warns of different spec versions of one experiment, and not for reruns of one spec", () => {
    const same = [makeRun({ id: id(1), targets: [fp32(1)] }), makeRun({ id: id(2), targets: [fp32(2)] })];
    assert.deepEqual(checkSelection(same), { warning: null, withheld: {} });
    const versions = [
      makeRun({ id: id(1), targets: [fp32(1)] }),
      makeRun({ id: id(2), version: 2, targets: [fp32(2)] }),
    ];
    assert.match(checkSelection(versions).warning ?? "", /different versions of the experiment's spec/);
  });

  it("needs two seconds in each run for P99, and gives nothing for a single run", () => {
    const runs = [makeRun({ id: id(1), targets: [fp32(5)] }), makeRun({ id: id(2), targets: [fp32(5)] })];
    const [line] = prepareAcrossRuns(runs, [sample(1, 20, 1), sample(2, 20)]);
    assert.equal(line?.p99?.status, "unavailable");
    assert.deepEqual(prepareAcrossRuns(runs.slice(0, 1), [sample(1, 20)]), []);
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
