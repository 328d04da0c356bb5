// Independent-sample comparisons: Newcombe's interval against the published table, the z-test,
// and the two-run bootstrap's coverage and direction.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import {
  bootstrapIndependentDifference,
  compareAccuracyIndependent,
  newcombeInterval,
  twoProportionPValue,
} from "./compare-independent";
import { percentile } from "./percentile";

const counts = (correct: number, scored: number) => ({ correct, scored });

describe("newcombeInterval", () => {
  it("reproduces Newcombe (1998) Table II, method 10, to four decimals", () => {
    const table: Array<[number, number, number, number, number, number]> = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [10, 10, 0, 20, 0.6791, 1.0],
    ];
    for (const [x1, n1, x2, n2, lower, upper] of table) {
      const [lo, hi] = newcombeInterval(counts(x1, n1), counts(x2, n2));
      assert.ok(Math.abs(lo - lower) < 5e-5, `${x1}/${n1} − ${x2}/${n2}: lower ${lo}`);
      assert.ok(Math.abs(hi - upper) < 5e-5, `${x1}/${n1} − ${x2}/${n2}: upper ${hi}`);
    }
  });

  it("covers the true difference in about 95 % of 400 simulated pairs of runs", () => {
    const random = createRandom(11);
    const draw = (p: number, n: number) => {
      let correct = 0;
      for (let i = 0; i < n; i += 1) if (random.next() < p) correct += 1;
      return counts(correct, n);
    };
    let covered = 0;
    for (let trial = 0; trial < 400; trial += 1) {
      const [lo, hi] = newcombeInterval(draw(0.9, 200), draw(0.85, 150));
      if (lo <= 0.05 && 0.05 <= hi) covered += 1;
    }
    assert.ok(covered >= 368 && covered <= 392, `covered ${covered}/400`);
  });

  it("refuses counts that are not counts", () => {
    assert.throws(() => newcombeInterval(counts(3, 0), counts(1, 2)), /scored > 0/);
    assert.throws(() => newcombeInterval(counts(5, 4), counts(1, 2)), /correct ≤ scored/);
  });
});

describe("compareAccuracyIndependent", () => {
  it("says better, worse or inconclusive from where the interval lies", () => {
    assert.equal(compareAccuracyIndependent(counts(190, 200), counts(150, 200)).verdict, "better");
    assert.equal(compareAccuracyIndependent(counts(150, 200), counts(190, 200)).verdict, "worse");
    const close = compareAccuracyIndependent(counts(180, 200), counts(178, 200));
    assert.equal(close.verdict, "inconclusive");
    assert.ok(close.interval[0] < 0 && close.interval[1] > 0);
    assert.ok(close.pValue > 0.5);
    assert.equal(twoProportionPValue(counts(5, 10), counts(5, 10)), 1);
  });
});

describe("bootstrapIndependentDifference", () => {
  // A window: a second's latencies; the statistic: the P99 of all of them.
  const p99 = (windows: number[][]) => percentile(windows.flat(), 99);
  const run = (seed: number, seconds: number, scaleMs: number) => {
    const random = createRandom(seed);
    return Array.from({ length: seconds }, () =>
      Array.from(
        { length: 20 },
        () => scaleMs * Math.exp(0.4 * (random.next() + random.next() + random.next() - 1.5)),
      ),
    );
  };

  it("finds a slower second run worse, and two runs of one system inconclusive", () => {
    const reference = run(1, 120, 20);
    const slower = bootstrapIndependentDifference({
      candidate: run(2, 90, 30),
      reference,
      statistic: p99,
      seed: 5,
      iterations: 400,
    });
    assert.equal(slower.verdict, "worse");
    assert.ok(slower.interval[0] > 0);
    assert.deepEqual(slower.blockLengths, { candidate: 4, reference: 5 });
    const same = bootstrapIndependentDifference({
      candidate: run(3, 120, 20),
      reference,
      statistic: p99,
      seed: 5,
      iterations: 400,
    });
    assert.equal(same.verdict, "inconclusive");
  });

  it("is reproducible for a seed, and refuses an empty run", () => {
    const options = {
      candidate: run(4, 30, 20),
      reference: run(5, 40, 22),
      statistic: p99,
      seed: 9,
      iterations: 200,
    };
    assert.deepEqual(bootstrapIndependentDifference(options), bootstrapIndependentDifference(options));
    assert.throws(() => bootstrapIndependentDifference({ ...options, candidate: [] }), /at least one window/);
  });
});
