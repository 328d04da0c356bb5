// The candidate's verdict lines and the forest-plot axis, from the run report's comparisons.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accuracyComparison, makeRun, p99Comparison } from "../../../testing/compare-fixtures";
import { prepareEntries } from "./core";
import { formatInterval, formatP, niceCeiling, prepareForest, prepareVerdicts } from "./verdicts";

const run = () =>
  makeRun({
    targets: [
      { name: "fp32", role: "candidate", verdict: "pass" },
      { name: "int8" },
      { name: "tesseract" },
      { name: "int6" },
    ],
    comparisons: [
      {
        baseline: "int8",
        accuracy: accuracyComparison(0.005, [-0.012, 0.023], 0.55),
        p99: p99Comparison(12.4, [-3.1, 30.2]),
      },
      {
        baseline: "tesseract",
        accuracy: accuracyComparison(0.042, [0.012, 0.089], 0.004),
        p99: p99Comparison(-1361.9, [-2397.2, -176.3]),
      },
      {
        baseline: "int6",
        accuracy: { verdict: "inconclusive", reason: "no item was scored for both targets" },
        p99: p99Comparison(25, [5, 50]),
      },
    ],
  });

describe("prepareVerdicts", () => {
  it("writes one line per baseline with the interval, the p-value and the verdict", () => {
    const input = run();
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    assert.ok(verdicts);
    assert.equal(verdicts.candidate, "fp32");
    assert.equal(
      verdicts.lines[0]?.sentence,
      "fp32 vs int8: accuracy +0.5 pp [−1.2, 2.3] p = 0.55, n = 72 items → inconclusive; P99 +12.4 ms [−3.1, 30.2] → inconclusive",
    );
    assert.equal(verdicts.lines[0]?.accuracy.items, 72, "n is the distinct items, not the 216 requests");
    assert.match(
      verdicts.lines[0]?.accuracy.detail ?? "",
      /^72 distinct items paired \(216 and 216 requests\)/,
    );
    const tesseract = verdicts.lines[1];
    assert.equal(tesseract?.accuracy.verdict, "better");
    assert.equal(tesseract?.p99.verdict, "better", "a lower P99 is better");
    assert.equal(tesseract?.p99.text, "P99 −1362 ms [−2397, −176] → better");
    assert.equal(verdicts.lines[2]?.p99.verdict, "worse");
  });

  it("gives no verdict, with the reason, where the report could not compare", () => {
    const input = run();
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    const int6 = verdicts?.lines[2];
    assert.equal(int6?.accuracy.status, "unavailable");
    assert.equal(int6?.accuracy.verdict, "inconclusive", "it separates nothing");
    assert.equal(int6?.accuracy.text, "accuracy: no verdict (no item was scored for both targets)");
  });

  it("gives no verdict for an older request-level comparison (no per-item record)", () => {
    const { items: _items, ...requestLevel } = accuracyComparison(0.042, [0.012, 0.089], 0.004);
    const input = makeRun({
      targets: [{ name: "fp32", role: "candidate" }, { name: "int8" }],
      comparisons: [
        {
          baseline: "int8",
          accuracy: requestLevel as ReturnType<typeof accuracyComparison>,
          p99: p99Comparison(1, [-1, 2]),
        },
      ],
    });
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    assert.equal(verdicts?.lines[0]?.accuracy.status, "unavailable");
    assert.match(verdicts?.lines[0]?.accuracy.reason ?? "", /^no per-item record/);
  });

  it("says a run whose verdict is invalid has no SLO verdict", () => {
    const input = { ...run(), verdict: "invalid" as const };
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    assert.match(verdicts?.summary ?? "", /^Candidate fp32: no SLO verdict \(invalid/);
  });

  it("summarises the SLO verdict and groups baselines by outcome", () => {
    const input = run();
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    assert.equal(
      verdicts?.summary,
      "Candidate fp32: SLO verdict pass. Accuracy: better than tesseract; inconclusive against int8; no verdict against int6. P99: better than tesseract; worse than int6; inconclusive against int8.",
    );
  });

  it("leaves out the baselines not selected", () => {
    const input = run();
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], ["fp32", "int8"]));
    assert.deepEqual(
      verdicts?.lines.map((line) => line.baseline),
      ["int8"],
    );
  });
});

describe("prepareForest", () => {
  it("lays every interval on one symmetric axis, 0 in the middle", () => {
    const input = run();
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    const forest = prepareForest(
      (verdicts?.lines ?? []).map((line) => ({
        key: line.baseline,
        label: line.baseline,
        estimate: line.accuracy,
      })),
    );
    assert.equal(forest.extent, 10, "8.9 pp rounds up to 10");
    const int8 = forest.rows[0];
    assert.ok(int8 && (int8.lowPercent as number) < 50 && (int8.highPercent as number) > 50, "holds 0");
    assert.ok(Math.abs((int8?.estimatePercent as number) - 52.5) < 1e-9);
    assert.equal(forest.rows[2]?.lowPercent, null, "no interval, no bar");
  });

  it("rounds the axis to 1, 2 or 5 × 10^k", () => {
    assert.equal(niceCeiling(0), 1);
    assert.equal(niceCeiling(1.3), 2);
    assert.equal(niceCeiling(2397.2), 5000);
    assert.equal(niceCeiling(50), 50);
  });
});

describe("formatting", () => {
  it("writes intervals with true minus signs and p-values with two figures", () => {
    assert.equal(formatInterval([-1.23, 2.34], 1), "[−1.2, 2.3]");
    assert.equal(formatInterval([-0.01, 2], 1), "[0.0, 2.0]");
    assert.equal(formatP(0.5078), "0.51");
    assert.equal(formatP(0.064), "0.064");
    assert.equal(formatP(0.0003), "< 0.001");
  });
});

describe("p-values in sentences", () => {
  it("writes a tiny p-value as p < 0.001", () => {
    const input = makeRun({
      targets: [{ name: "a", role: "candidate" }, { name: "b" }],
      comparisons: [
        {
          baseline: "b",
          accuracy: accuracyComparison(0.1, [0.05, 0.16], 0.0003),
          p99: p99Comparison(1, [-1, 2]),
        },
      ],
    });
    const [verdicts] = prepareVerdicts([input], prepareEntries([input], null));
    assert.equal(verdicts?.lines[0]?.accuracy.pText, "p < 0.001");
    assert.match(
      verdicts?.lines[0]?.sentence ?? "",
      /accuracy \+10\.0 pp \[5\.0, 16\.0\] p < 0\.001, n = 72 items → better/,
    );
  });
});
