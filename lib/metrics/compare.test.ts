import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import {
  type BlockBootstrapOptions,
  type BootstrapOptions,
  blockBootstrap,
  bootstrapDifference,
  compareAccuracy,
  countDiscordant,
  decideVerdict,
  mcnemarTest,
  type PairedOutcome,
  tangoInterval,
} from "./compare";
import { bootstrapIndependentDifference } from "./compare-independent";
import { percentile } from "./percentile";

const withCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

function assertNear(actual: number, expected: number, tolerance: number, label: string) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: ${actual}, expected ${expected} ± ${tolerance}`,
  );
}

describe("decideVerdict", () => {
  it("is inconclusive when the interval holds zero, endpoints included", () => {
    assert.deepEqual(decideVerdict([-0.01, 0.03], { better: "higher" }), {
      verdict: "inconclusive",
      reason: "includes-zero",
    });
    assert.equal(decideVerdict([0, 0.03], { better: "higher" }).verdict, "inconclusive");
    assert.equal(decideVerdict([-5, 0], { better: "lower" }).verdict, "inconclusive");
  });

  it("is inconclusive when the interval straddles +margin or −margin", () => {
    assert.deepEqual(decideVerdict([0.005, 0.02], { better: "higher", margin: 0.01 }), {
      verdict: "inconclusive",
      reason: "straddles-margin",
    });
    assert.deepEqual(decideVerdict([-0.02, -0.005], { better: "higher", margin: 0.01 }), {
      verdict: "inconclusive",
      reason: "straddles-margin",
    });
  });

  it("says better or worse by direction, and whether the whole interval clears the margin", () => {
    assert.deepEqual(decideVerdict([0.02, 0.05], { better: "higher", margin: 0.01 }), {
      verdict: "better",
      reason: "beyond-margin",
    });
    assert.deepEqual(decideVerdict([0.002, 0.008], { better: "higher", margin: 0.01 }), {
      verdict: "better",
      reason: "within-margin",
    });
    assert.deepEqual(decideVerdict([-40, -12], { better: "lower", margin: 10 }), {
      verdict: "better",
      reason: "beyond-margin",
    });
    assert.equal(decideVerdict([12, 40], { better: "lower" }).verdict, "worse");
    assert.equal(decideVerdict([-0.05, -0.02], { better: "higher" }).verdict, "worse");
    // An endpoint exactly on the margin has resolved it.
    assert.equal(decideVerdict([0.01, 0.05], { better: "higher", margin: 0.01 }).reason, "beyond-margin");
  });

  it("rejects a negative or non-finite margin", () => {
    assert.throws(() => decideVerdict([1, 2], { better: "higher", margin: -1 }), withCode("invalid_margin"));
    assert.throws(
      () => decideVerdict([1, 2], { better: "higher", margin: Number.NaN }),
      withCode("invalid_margin"),
    );
  });
});

describe("mcnemarTest", () => {
  it("gives the mid-p and exact conditional p-values of Fagerland, Lydersen & Laake (2013)", () => {
    // Bentur et al. (2009) airway data: b = 1, c = 7. Published: mid-p 0.039, exact 0.070.
    const midP = mcnemarTest(1, 7);
    assert.equal(midP.test, "mid-p binomial");
    assertNear(midP.pValue, 10 / 256, 1e-15, "mid-p");
    assert.equal(midP.chiSquare, null);
    const exact = mcnemarTest(1, 7, { smallSample: "exact" });
    assert.equal(exact.test, "exact binomial");
    assertNear(exact.pValue, 18 / 256, 1e-15, "exact");
  });

  it("uses the continuity-corrected chi-square for Agresti's presidential approval table", () => {
    // Agresti, Categorical Data Analysis: 794 / 150 / 86 / 570; (|150 − 86| − 1)² / 236 = 16.82.
    const result = mcnemarTest(150, 86);
    assert.equal(result.test, "chi-square, continuity-corrected");
    assertNear(result.chiSquare ?? Number.NaN, 16.8178, 1e-4, "χ²");
    assertNear(result.pValue, 4.1146e-5, 1e-8, "p");
  });

  it("switches to the chi-square at 25 discordant pairs unless told otherwise", () => {
    assert.equal(mcnemarTest(20, 4).test, "mid-p binomial");
    assert.equal(mcnemarTest(20, 5).test, "chi-square, continuity-corrected");
    assert.equal(mcnemarTest(20, 5, { exactBelow: 100 }).test, "mid-p binomial");
  });

  it("gives p = 1 when neither arm wins more items", () => {
    for (const options of [{}, { smallSample: "exact" as const }, { exactBelow: 0 }]) {
      assert.equal(mcnemarTest(0, 0, options).pValue, 1);
      assert.equal(mcnemarTest(6, 6, options).pValue, 1);
      assert.equal(mcnemarTest(40, 40, options).pValue, 1);
    }
  });

  it("rejects counts that are not whole numbers", () => {
    assert.throws(() => mcnemarTest(1.5, 2), withCode("invalid_counts"));
    assert.throws(() => mcnemarTest(-1, 2), withCode("invalid_counts"));
  });
});

describe("tangoInterval", () => {
  // Published Tango score intervals, as collected in the ratesci package's tests (P. Laud); the
  // table is [a, b, c, d] with b = first right / second wrong and c the reverse.
  const published: {
    source: string;
    table: [number, number, number, number];
    level: number;
    interval: [number, number];
    digits: number;
  }[] = [
    {
      source: "ratesci Tango RD example",
      table: [4, 9, 3, 16],
      level: 0.95,
      interval: [-0.027, 0.39],
      digits: 3,
    },
    {
      source: "ratesci Tango RD example (90%)",
      table: [43, 0, 1, 0],
      level: 0.9,
      interval: [-0.096, 0.037],
      digits: 3,
    },
    { source: "Agresti & Min 2005", table: [53, 16, 8, 9], level: 0.95, interval: [-0.02, 0.207], digits: 3 },
    {
      source: "Fagerland et al. 2014",
      table: [1, 1, 7, 12],
      level: 0.95,
      interval: [-0.517, -0.026],
      digits: 3,
    },
    { source: "Tang (M.L.) 2010", table: [8, 3, 1, 2], level: 0.95, interval: [-0.167, 0.4327], digits: 4 },
  ];

  for (const { source, table, level, interval, digits } of published) {
    it(`reproduces ${source}: ${table.join("/")} at ${level * 100}%`, () => {
      const [a, b, c, d] = table;
      const [lo, hi] = tangoInterval(b, c, a + b + c + d, level);
      const tolerance = 0.5 * 10 ** -digits + 1e-12;
      assertNear(lo, interval[0], tolerance, "lower");
      assertNear(hi, interval[1], tolerance, "upper");
    });
  }

  it("is not degenerate when there are no discordant pairs, unlike the Wald interval", () => {
    // With b = c = 0 the score equation solves to ±z² / (n + z²).
    const z2 = 1.959963984540054 ** 2;
    const [lo, hi] = tangoInterval(0, 0, 10);
    assertNear(hi, z2 / (10 + z2), 1e-12, "upper");
    assertNear(lo, -z2 / (10 + z2), 1e-12, "lower");
  });

  it("stays inside [−1, 1] at the extremes and holds the estimate", () => {
    assert.deepEqual(tangoInterval(0, 10, 10)[0], -1);
    assert.deepEqual(tangoInterval(10, 0, 10)[1], 1);
    for (const [b, c, n] of [
      [3, 0, 5],
      [0, 4, 30],
      [17, 9, 200],
      [1, 1, 2],
    ] as const) {
      const [lo, hi] = tangoInterval(b, c, n);
      const estimate = (b - c) / n;
      assert.ok(-1 <= lo && lo < estimate && estimate < hi && hi <= 1, `${b}/${c}/${n}: [${lo}, ${hi}]`);
    }
  });

  it("widens with the confidence level", () => {
    const [lo95, hi95] = tangoInterval(12, 4, 60, 0.95);
    const [lo99, hi99] = tangoInterval(12, 4, 60, 0.99);
    assert.ok(lo99 < lo95 && hi99 > hi95);
  });
});

function simulatePairs(
  random: ReturnType<typeof createRandom>,
  n: number,
  pRightWrong: number,
  pWrongRight: number,
  pBoth: number,
) {
  const pairs: PairedOutcome[] = [];
  for (let i = 0; i < n; i += 1) {
    const u = random.next();
    if (u < pRightWrong) pairs.push({ candidate: true, baseline: false });
    else if (u < pRightWrong + pWrongRight) pairs.push({ candidate: false, baseline: true });
    else if (u < pRightWrong + pWrongRight + pBoth) pairs.push({ candidate: true, baseline: true });
    else pairs.push({ candidate: false, baseline: false });
  }
  return pairs;
}

describe("compareAccuracy", () => {
  it("reports the difference, Tango interval, McNemar p-value and verdict together", () => {
    const result = compareAccuracy({ b: 150, c: 86, n: 1600 });
    assert.equal(result.difference, 0.04);
    // Close to Agresti's Wald interval (0.021, 0.059) at this sample size.
    assertNear(result.interval[0], 0.0214, 5e-4, "lower");
    assertNear(result.interval[1], 0.059, 5e-4, "upper");
    assert.equal(result.intervalMethod, "Tango score");
    assert.equal(result.test, "chi-square, continuity-corrected");
    assertNear(result.pValue, 4.1146e-5, 1e-8, "p");
    assert.equal(result.verdict, "better");
    assert.equal(result.reason, "beyond-margin");
    assert.deepEqual(result.counts, { b: 150, c: 86, n: 1600 });
  });

  it("counts raw boolean pairs the same as the counts they make", () => {
    const pairs: PairedOutcome[] = [
      ...Array.from({ length: 9 }, () => ({ candidate: true, baseline: false })),
      ...Array.from({ length: 3 }, () => ({ candidate: false, baseline: true })),
      ...Array.from({ length: 4 }, () => ({ candidate: true, baseline: true })),
      ...Array.from({ length: 16 }, () => ({ candidate: false, baseline: false })),
    ];
    assert.deepEqual(countDiscordant({ pairs }), { b: 9, c: 3, n: 32 });
    assert.deepEqual(compareAccuracy({ pairs }), compareAccuracy({ b: 9, c: 3, n: 32 }));
  });

  it("is inconclusive when the interval includes zero", () => {
    const result = compareAccuracy({ b: 16, c: 8, n: 86 });
    assert.equal(result.verdict, "inconclusive");
    assert.equal(result.reason, "includes-zero");
  });

  it("says worse when the baseline wins the discordant items", () => {
    const result = compareAccuracy({ b: 86, c: 150, n: 1600 });
    assert.equal(result.difference, -0.04);
    assert.equal(result.verdict, "worse");
  });

  it("is inconclusive when the interval cannot resolve the practical margin", () => {
    // Interval ≈ (0.021, 0.059): a 3-point margin sits inside it, a 2-point margin below it.
    assert.equal(compareAccuracy({ b: 150, c: 86, n: 1600 }, { margin: 0.03 }).reason, "straddles-margin");
    assert.equal(compareAccuracy({ b: 150, c: 86, n: 1600 }, { margin: 0.03 }).verdict, "inconclusive");
    assert.equal(compareAccuracy({ b: 150, c: 86, n: 1600 }, { margin: 0.02 }).reason, "beyond-margin");
    const small = compareAccuracy({ b: 150, c: 86, n: 1600 }, { margin: 0.1 });
    assert.deepEqual([small.verdict, small.reason], ["better", "within-margin"]);
  });

  it("rejects impossible counts, no items and a bad confidence level", () => {
    assert.throws(() => compareAccuracy({ b: 0, c: 0, n: 0 }), withCode("no_paired_items"));
    assert.throws(() => compareAccuracy({ pairs: [] }), withCode("no_paired_items"));
    assert.throws(() => compareAccuracy({ b: 6, c: 5, n: 10 }), withCode("invalid_counts"));
    assert.throws(
      () => compareAccuracy({ b: 1, c: 2, n: 10 }, { confidence: 95 }),
      withCode("invalid_confidence"),
    );
    assert.throws(
      () => compareAccuracy({ b: 1, c: 2, n: 10 }, { margin: -0.01 }),
      withCode("invalid_margin"),
    );
  });

  it("covers the true difference in about 95% of 200 simulated paired datasets", () => {
    const random = createRandom("tango-coverage");
    const scenarios = [
      { n: 40, rightWrong: 0.15, wrongRight: 0.05, both: 0.6 },
      { n: 120, rightWrong: 0.04, wrongRight: 0.02, both: 0.85 },
    ];
    for (const { n, rightWrong, wrongRight, both } of scenarios) {
      const truth = rightWrong - wrongRight;
      let covered = 0;
      for (let run = 0; run < 200; run += 1) {
        const { interval } = compareAccuracy({
          pairs: simulatePairs(random, n, rightWrong, wrongRight, both),
        });
        if (interval[0] <= truth && truth <= interval[1]) covered += 1;
      }
      assert.ok(covered >= 180, `n = ${n}: covered ${covered} / 200`);
    }
  });

  it("rarely declares a winner between equally accurate targets", () => {
    const random = createRandom("tango-null");
    let decided = 0;
    for (let run = 0; run < 200; run += 1) {
      const result = compareAccuracy({ pairs: simulatePairs(random, 30, 0.1, 0.1, 0.6) });
      if (result.verdict !== "inconclusive") decided += 1;
    }
    assert.ok(decided <= 20, `decided ${decided} / 200`);
  });
});

describe("bootstrapDifference", () => {
  const p99 = (windows: number[][]) => percentile(windows.flat(), 99);
  const mean = (windows: number[][]) => {
    const values = windows.flat();
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };

  /** Per-second latency windows; `load` is the shared per-second slowdown both arms see. */
  function latencyWindows(
    seed: string,
    seconds: number,
    perSecond: number,
    scale: number,
    load: readonly number[],
  ) {
    const random = createRandom(seed);
    return Array.from({ length: seconds }, (_, second) =>
      Array.from(
        { length: perSecond },
        () => (50 + (load[second] as number)) * scale * Math.exp(0.3 * random.normal()),
      ),
    );
  }
  const loadRandom = createRandom("load");
  const load = Array.from({ length: 60 }, () => 100 * loadRandom.next());

  it("replays exactly for the same seed and moves for another", () => {
    const candidate = latencyWindows("c", 60, 20, 0.8, load);
    const baseline = latencyWindows("b", 60, 20, 1, load);
    const run = (seed: number) =>
      bootstrapDifference({ candidate, baseline, statistic: p99, iterations: 300, seed, paired: true });
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7).interval, run(8).interval);
  });

  it("finds a faster candidate better on P99 (lower is better by default)", () => {
    const candidate = latencyWindows("c", 60, 20, 0.7, load);
    const baseline = latencyWindows("b", 60, 20, 1, load);
    const result = bootstrapDifference({
      candidate,
      baseline,
      statistic: p99,
      iterations: 500,
      seed: 1,
      paired: true,
    });
    assert.equal(result.estimate, result.candidate - result.baseline);
    assert.ok(result.estimate < 0);
    assert.ok(result.interval[0] <= result.interval[1] && result.interval[1] < 0, `${result.interval}`);
    assert.equal(result.verdict, "better");
    assert.equal(result.iterations, 500);
    assert.equal(result.blockLength, 4); // round(60^(1/3))
    assert.equal(result.confidence, 0.95);
  });

  it("finds a slower candidate worse, and flips with better: 'higher'", () => {
    const candidate = latencyWindows("c", 60, 20, 1.4, load);
    const baseline = latencyWindows("b", 60, 20, 1, load);
    const options = { candidate, baseline, statistic: p99, iterations: 400, seed: 2, paired: true } as const;
    assert.equal(bootstrapDifference(options).verdict, "worse");
    assert.equal(bootstrapDifference({ ...options, better: "higher" }).verdict, "better");
  });

  it("is inconclusive for identical arms and when the interval straddles the margin", () => {
    const windows = latencyWindows("same", 30, 10, 1, load);
    const same = bootstrapDifference({
      candidate: windows,
      baseline: windows,
      statistic: p99,
      seed: 3,
      paired: true,
      iterations: 200,
    });
    assert.deepEqual(same.interval, [0, 0]);
    assert.equal(same.verdict, "inconclusive");

    const candidate = latencyWindows("c", 60, 20, 0.7, load);
    const baseline = latencyWindows("b", 60, 20, 1, load);
    const base = { candidate, baseline, statistic: p99, iterations: 500, seed: 1, paired: true } as const;
    const { interval } = bootstrapDifference(base);
    const inside = -(interval[0] + interval[1]) / 2; // a margin between the two endpoints' magnitudes
    const result = bootstrapDifference({ ...base, margin: inside });
    assert.deepEqual([result.verdict, result.reason], ["inconclusive", "straddles-margin"]);
  });

  it("pairs seconds: load shared by both arms cancels out of the interval", () => {
    // Mean latency swings by ±50 ms from second to second; the candidate is 2 ms faster in each.
    const baseline = latencyWindows("b", 60, 20, 1, load).map((window) => window.map((value) => value));
    const candidate = baseline.map((window) => window.map((value) => value - 2));
    const result = bootstrapDifference({
      candidate,
      baseline,
      statistic: mean,
      seed: 4,
      paired: true,
      iterations: 300,
    });
    assertNear(result.interval[0], -2, 1e-9, "lower");
    assertNear(result.interval[1], -2, 1e-9, "upper");
    assert.equal(result.verdict, "better");
  });

  it("drops replicates where the statistic is not finite instead of counting them as zero", () => {
    const candidate = [[1], [2], [3], [4], [5], [6]];
    const baseline = [[2], [3], [4], [5], [6], [7]];
    const marked = candidate[0];
    const statistic = (windows: number[][]) =>
      windows.includes(marked as number[]) ? Number.NaN : mean(windows);
    const result = bootstrapDifference({
      candidate,
      baseline,
      statistic,
      seed: 5,
      paired: true,
      iterations: 200,
      blockLength: 1,
    });
    assert.ok(result.iterations > 0 && result.iterations < 200, `${result.iterations}`);
    assert.ok(Number.isFinite(result.interval[0]) && Number.isFinite(result.interval[1]));
  });

  it("rejects unpaired or empty arms and bad settings", () => {
    const base: BootstrapOptions<number[]> = {
      candidate: [[1]],
      baseline: [[1]],
      statistic: mean,
      seed: 1,
      paired: true,
    };
    assert.throws(() => bootstrapDifference({ ...base, baseline: [[1], [2]] }), withCode("unpaired_windows"));
    assert.throws(
      () => bootstrapDifference({ ...base, candidate: [], baseline: [] }),
      withCode("unpaired_windows"),
    );
    assert.throws(() => bootstrapDifference({ ...base, iterations: 0 }), withCode("invalid_iterations"));
    assert.throws(() => bootstrapDifference({ ...base, confidence: 1 }), withCode("invalid_confidence"));
    assert.throws(() => bootstrapDifference({ ...base, blockLength: 2 }), withCode("invalid_block_length"));
    const unpaired = { ...base, paired: false } as unknown as typeof base;
    assert.throws(() => bootstrapDifference(unpaired), withCode("unpaired_bootstrap"));
  });

  it("covers the true difference in most of 200 simulated drills", () => {
    // Shared per-second load plus independent noise; the true difference in means is −1 ms.
    const random = createRandom("bootstrap-coverage");
    let covered = 0;
    for (let run = 0; run < 200; run += 1) {
      const baseline: number[][] = [];
      const candidate: number[][] = [];
      for (let second = 0; second < 40; second += 1) {
        const shared = 10 + 3 * random.normal();
        baseline.push(Array.from({ length: 5 }, () => shared + random.normal()));
        candidate.push(Array.from({ length: 5 }, () => shared - 1 + random.normal()));
      }
      const { interval } = bootstrapDifference({
        candidate,
        baseline,
        statistic: mean,
        seed: run,
        paired: true,
        iterations: 300,
      });
      if (interval[0] <= -1 && -1 <= interval[1]) covered += 1;
    }
    assert.ok(covered >= 180, `covered ${covered} / 200`);
  });
});

describe("blockBootstrap: paired and independent resampling agree where they must", () => {
  const mean = (windows: number[][]) => {
    const values = windows.flat();
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };
  // 60 seconds of 10 latencies each around a load that swings from second to second.
  const random = createRandom("modes");
  const windows = Array.from({ length: 60 }, () => {
    const load = 100 + 40 * random.normal();
    return Array.from({ length: 10 }, () => load + 10 * random.normal());
  });
  const shiftMs = -3;
  const shifted = windows.map((window) => window.map((value) => value + shiftMs));
  const run = (resampling: "paired" | "independent", candidate: number[][], reference: number[][]) =>
    blockBootstrap({ candidate, reference, statistic: mean, resampling, seed: 12, iterations: 400 });

  it("finds no difference between identical arms: an interval around 0, inconclusive", () => {
    const paired = run("paired", windows, windows);
    const independent = run("independent", windows, windows);
    assert.deepEqual(paired.interval, [0, 0]);
    for (const result of [paired, independent]) {
      assert.equal(result.estimate, 0);
      assert.ok(
        result.interval[0] <= 0 && 0 <= result.interval[1],
        `${result.resampling}: ${result.interval}`,
      );
      assert.deepEqual([result.verdict, result.reason], ["inconclusive", "includes-zero"]);
    }
    assert.ok(independent.interval[0] < 0 && independent.interval[1] > 0, `${independent.interval}`);
  });

  it("estimates a shift of d as d in both modes; pairing removes the shared load", () => {
    const paired = run("paired", shifted, windows);
    const independent = run("independent", shifted, windows);
    for (const result of [paired, independent]) {
      assertNear(result.estimate, shiftMs, 1e-9, `${result.resampling} estimate`);
      assert.equal(result.estimate, result.candidate - result.reference);
      assert.ok(result.interval[0] <= shiftMs + 1e-9 && shiftMs - 1e-9 <= result.interval[1]);
      assert.deepEqual(result.blockLengths, { candidate: 4, reference: 4 });
      assert.equal(result.iterations, 400);
    }
    assertNear(paired.interval[0], shiftMs, 1e-9, "paired lower");
    assertNear(paired.interval[1], shiftMs, 1e-9, "paired upper");
    assert.equal(paired.verdict, "better");
    // Unpaired, the ±40 ms swings between seconds dwarf a 3 ms shift.
    assert.ok(independent.interval[1] - independent.interval[0] > 1, `${independent.interval}`);
    assert.equal(independent.verdict, "inconclusive");
  });

  it("is what bootstrapDifference and bootstrapIndependentDifference return, under their names", () => {
    const common = { statistic: mean, seed: 12, iterations: 300 };
    const paired = blockBootstrap({
      candidate: shifted,
      reference: windows,
      resampling: "paired",
      ...common,
    });
    assert.deepEqual(
      bootstrapDifference({ candidate: shifted, baseline: windows, paired: true, ...common }),
      {
        ...paired,
        baseline: paired.reference,
        blockLength: paired.blockLengths.candidate,
      },
    );
    const independent = blockBootstrap({
      candidate: shifted,
      reference: windows.slice(0, 27),
      resampling: "independent",
      ...common,
    });
    assert.deepEqual(
      bootstrapIndependentDifference({ candidate: shifted, reference: windows.slice(0, 27), ...common }),
      independent,
    );
    assert.deepEqual(independent.blockLengths, { candidate: 4, reference: 3 });
  });

  it("lets independent runs differ in length but not paired arms, and checks the block length", () => {
    const base: BlockBootstrapOptions<number[]> = {
      candidate: windows,
      reference: windows.slice(0, 20),
      statistic: mean,
      resampling: "independent",
      seed: 1,
      iterations: 50,
    };
    assert.equal(blockBootstrap(base).blockLengths.reference, 3);
    assert.throws(() => blockBootstrap({ ...base, resampling: "paired" }), withCode("unpaired_windows"));
    assert.throws(() => blockBootstrap({ ...base, reference: [] }), withCode("no_windows"));
    assert.deepEqual(blockBootstrap({ ...base, blockLength: 20 }).blockLengths, {
      candidate: 20,
      reference: 20,
    });
    assert.throws(() => blockBootstrap({ ...base, blockLength: 21 }), withCode("invalid_block_length"));
  });
});
