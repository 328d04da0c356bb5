import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  binomialCdf,
  binomialPmf,
  chiSquare1Cdf,
  chiSquare1Quantile,
  chiSquare1Sf,
  logChoose,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
} from "./distributions";

// Reference values computed with mpmath at 40 significant digits, written as the nearest doubles.
const relativeError = (actual: number, expected: number) =>
  expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);

function assertRelative(actual: number, expected: number, tolerance: number, label: string) {
  assert.ok(relativeError(actual, expected) <= tolerance, `${label}: ${actual} vs ${expected}`);
}

describe("normalCdf and normalSf", () => {
  const lowerTail: [number, number][] = [
    [-37.5, 4.605353009581955e-308],
    [-30, 4.906713927148187e-198],
    [-10, 7.619853024160525e-24],
    [-8, 6.220960574271784e-16],
    [-5.657, 7.702088172177601e-9],
    [-5, 2.866515718791939e-7],
    [-3, 0.0013498980316300946],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145705],
    [-0.6744, 0.2500285213729406],
    [-0.5, 0.3085375387259869],
    [0.3, 0.6179114221889527],
    [1, 0.8413447460685429],
    [2.5, 0.9937903346742238],
  ];

  it("matches high-precision values with full relative precision, far into the tails", () => {
    for (const [x, expected] of lowerTail) {
      assertRelative(normalCdf(x), expected, 1e-14, `Φ(${x})`);
      // The upper tail at −x is the same number, and must not be computed as 1 − Φ.
      assertRelative(normalSf(-x), expected, 1e-14, `1 − Φ(${-x})`);
    }
    assert.equal(normalCdf(0), 0.5);
    assert.equal(normalSf(0), 0.5);
  });

  it("keeps tails that 1 − Φ(x) would round to zero", () => {
    assert.equal(1 - normalCdf(10), 0);
    assertRelative(normalSf(10), 7.619853024160525e-24, 1e-14, "P(Z > 10)");
  });

  it("saturates to 0 and 1 beyond the double range and propagates NaN", () => {
    assert.equal(normalCdf(-40), 0);
    assert.equal(normalCdf(40), 1);
    assert.equal(normalCdf(Number.NEGATIVE_INFINITY), 0);
    assert.equal(normalSf(Number.POSITIVE_INFINITY), 0);
    assert.ok(Number.isNaN(normalCdf(Number.NaN)));
  });

  it("has the standard density", () => {
    assertRelative(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15, "φ(0)");
    assertRelative(normalPdf(-2), Math.exp(-2) / Math.sqrt(2 * Math.PI), 1e-15, "φ(−2)");
  });
});

describe("normalQuantile", () => {
  const quantiles: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-100, -21.273453560965326],
    [1e-20, -9.262340089798407],
    [1e-10, -6.361340902404057],
    [0.001, -3.0902323061678136],
    [0.01, -2.326347874040841],
    [0.02425, -1.972961051311885],
    [0.025, -1.9599639845400543],
    [0.05, -1.6448536269514726],
    [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080408],
    [0.7, 0.5244005127080408],
    [0.9, 1.2815515655446004],
    [0.95, 1.6448536269514726],
    [0.975, 1.9599639845400543],
    [0.99, 2.326347874040841],
    [0.995, 2.575829303548901],
    [0.999, 3.0902323061678136],
  ];

  it("matches high-precision quantiles to 1e-9 and better (Acklam plus one Halley step)", () => {
    for (const [p, expected] of quantiles) {
      const actual = normalQuantile(p);
      assert.ok(Math.abs(actual - expected) < 1e-9, `Φ⁻¹(${p}) = ${actual}, expected ${expected}`);
      // The refinement brings it to a few ulps, well past Acklam's 1.15e-9 alone.
      assertRelative(actual, expected, 1e-14, `Φ⁻¹(${p})`);
    }
    assert.equal(normalQuantile(0.5), 0);
  });

  it("inverts normalCdf and is symmetric about 1/2", () => {
    // Above x ≈ 2 the CDF itself rounds near 1, so the round trip is only checked below it.
    for (let x = -30; x <= 2; x += 0.37) {
      assert.ok(Math.abs(normalQuantile(normalCdf(x)) - x) < 1e-13 * Math.max(1, Math.abs(x)), `x = ${x}`);
    }
    for (const p of [1e-12, 0.001, 0.2, 0.4999])
      assert.equal(normalQuantile(1 - p), -normalQuantile(1 - (1 - p)));
  });

  it("gives infinities at 0 and 1 and NaN outside [0, 1]", () => {
    assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
    assert.equal(normalQuantile(1), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(normalQuantile(-0.1)));
    assert.ok(Number.isNaN(normalQuantile(1.1)));
    assert.ok(Number.isNaN(normalQuantile(Number.NaN)));
  });
});

describe("logGamma and logChoose", () => {
  it("matches ln Γ to about 14 digits", () => {
    const values: [number, number][] = [
      [0.5, 0.5723649429247001],
      [1.5, -0.12078223763524522],
      [2.5, 0.2846828704729192],
      [10, 12.801827480081469],
      [100.5, 361.4355404677776],
      [1000, 5905.220423209181],
      [1e6, 12815504.569147611],
    ];
    for (const [x, expected] of values) {
      assert.ok(Math.abs(logGamma(x) - expected) <= 1e-14 * Math.max(1, Math.abs(expected)), `lnΓ(${x})`);
    }
    assert.equal(logGamma(1), 0);
    assert.equal(logGamma(2), 0);
    assertRelative(logGamma(0.1), Math.log(9.513507698668732), 1e-14, "lnΓ(0.1) via reflection");
    assert.ok(Number.isNaN(logGamma(0)));
  });

  it("gives exact binomial coefficients after exponentiation", () => {
    assertRelative(Math.exp(logChoose(14, 7)), 3432, 1e-13, "C(14, 7)");
    assertRelative(Math.exp(logChoose(52, 5)), 2598960, 1e-13, "C(52, 5)");
    assert.equal(logChoose(9, 0), 0);
    assert.ok(Number.isNaN(logChoose(3, 4)));
    assert.ok(Number.isNaN(logChoose(3.5, 1)));
  });
});

describe("binomialPmf and binomialCdf", () => {
  it("match exact fractions for p = 1/2 (the McNemar exact test)", () => {
    assertRelative(binomialPmf(2, 14, 0.5), 91 / 16384, 1e-13, "P(X = 2)");
    assertRelative(binomialCdf(2, 14, 0.5), 106 / 16384, 1e-13, "P(X ≤ 2)");
    assertRelative(binomialCdf(1, 8, 0.5), 9 / 256, 1e-13, "P(X ≤ 1), n = 8");
    assert.equal(binomialCdf(14, 14, 0.5), 1);
    assert.equal(binomialCdf(-1, 14, 0.5), 0);
  });

  it("match a general p", () => {
    // P(X = 3) for Binomial(10, 0.3) = 120 · 0.3³ · 0.7⁷.
    assertRelative(binomialPmf(3, 10, 0.3), 120 * 0.3 ** 3 * 0.7 ** 7, 1e-13, "pmf");
    let sum = 0;
    for (let k = 0; k <= 4; k += 1) sum += binomialPmf(k, 10, 0.3);
    assertRelative(binomialCdf(4, 10, 0.3), sum, 1e-15, "cdf");
    assertRelative(binomialCdf(4.7, 10, 0.3), sum, 1e-15, "cdf of a non-integer k");
  });

  it("handle the degenerate p = 0 and p = 1, out-of-support k and bad arguments", () => {
    assert.equal(binomialPmf(0, 5, 0), 1);
    assert.equal(binomialPmf(1, 5, 0), 0);
    assert.equal(binomialPmf(5, 5, 1), 1);
    assert.equal(binomialPmf(6, 5, 0.5), 0);
    assert.equal(binomialPmf(1.5, 5, 0.5), 0);
    assert.ok(Number.isNaN(binomialPmf(1, 5, 1.5)));
    assert.ok(Number.isNaN(binomialCdf(1, -5, 0.5)));
  });
});

describe("chi-square with 1 degree of freedom", () => {
  it("has the textbook critical values", () => {
    assertRelative(chiSquare1Sf(3.841458820694124), 0.05, 1e-14, "P(χ² > 3.8415)");
    assertRelative(chiSquare1Sf(6.634896601021214), 0.01, 1e-14, "P(χ² > 6.6349)");
    assertRelative(chiSquare1Quantile(0.95), 3.841458820694124, 1e-14, "χ²₀.₉₅");
    assertRelative(chiSquare1Quantile(0.99), 6.634896601021214, 1e-14, "χ²₀.₉₉");
    assertRelative(chiSquare1Cdf(3.841458820694124), 0.95, 1e-14, "P(χ² ≤ 3.8415)");
  });

  it("gives Agresti's McNemar p-value for the presidential approval table", () => {
    // Continuity-corrected statistic (|150 − 86| − 1)² / 236 = 16.818, p = 4.1146e-5.
    assertRelative(chiSquare1Sf(63 ** 2 / 236), 0.00004114562281345944, 1e-12, "p");
  });

  it("is 1 at and below zero", () => {
    assert.equal(chiSquare1Sf(0), 1);
    assert.equal(chiSquare1Sf(-1), 1);
    assert.equal(chiSquare1Cdf(0), 0);
  });
});
