import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ArrivalSpec, arrivalTimes, arrivalTimesMs, expectedArrivals, rateAt } from "./arrivals";

function perSecond(times: readonly number[], seconds: number): number[] {
  const counts = new Array<number>(seconds).fill(0);
  for (const time of times) counts[Math.floor(time / 1000)] = (counts[Math.floor(time / 1000)] ?? 0) + 1;
  return counts;
}

describe("arrival schedules", () => {
  test("constant rate: evenly spaced, exactly rate × duration, starting at 0", () => {
    const times = arrivalTimesMs({ kind: "constant", ratePerSecond: 200, durationSeconds: 3 }, 1);
    assert.equal(times.length, 600);
    assert.equal(times[0], 0);
    for (let i = 1; i < times.length; i += 1) {
      assert.ok(Math.abs((times[i] as number) - (times[i - 1] as number) - 5) < 1e-9);
    }
    assert.ok((times.at(-1) as number) < 3000);
  });

  test("the same seed gives the same schedule; another seed another one", () => {
    const spec = ArrivalSpec.parse({ kind: "poisson", ratePerSecond: 50, durationSeconds: 20 });
    const a = arrivalTimesMs(spec, 42);
    assert.deepEqual(arrivalTimesMs(spec, 42), a);
    assert.deepEqual(arrivalTimesMs(spec, "42"), arrivalTimesMs(spec, "42"));
    assert.notDeepEqual(arrivalTimesMs(spec, 43), a);
    // The lazy iterator and the array are the same schedule.
    const lazy: number[] = [];
    for (const time of arrivalTimes(spec, 42)) lazy.push(time);
    assert.deepEqual(lazy, a);
  });

  test("Poisson: mean gap 1/rate and exponential gaps, within statistical bounds", () => {
    const rate = 100;
    const times = arrivalTimesMs({ kind: "poisson", ratePerSecond: rate, durationSeconds: 1000 }, 2024);
    const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
    const n = gaps.length;
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / n;
    const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / (n - 1));
    // Exponential with mean 10 ms: the sample mean's standard error is 10/√n; allow 4 of them.
    assert.ok(Math.abs(mean - 10) < (4 * 10) / Math.sqrt(n), `mean gap ${mean}`);
    // Coefficient of variation 1 (a constant schedule would have 0).
    assert.ok(Math.abs(sd / mean - 1) < 0.03, `cv ${sd / mean}`);
    // Memoryless: P(gap > mean) = e⁻¹.
    const longer = gaps.filter((gap) => gap > 10).length / n;
    assert.ok(Math.abs(longer - Math.exp(-1)) < 4 * Math.sqrt((Math.exp(-1) * (1 - Math.exp(-1))) / n));
    // The count over the run is Poisson(100 000): sd ≈ 316.
    assert.ok(Math.abs(times.length - 100_000) < 4 * 316, `count ${times.length}`);
  });

  test("ramp: the per-second count follows the line from rate to rampTo", () => {
    const spec = ArrivalSpec.parse({
      kind: "ramp",
      ratePerSecond: 10,
      rampToPerSecond: 110,
      durationSeconds: 10,
    });
    const times = arrivalTimesMs(spec, 1);
    assert.equal(times.length, expectedArrivals(spec));
    assert.equal(times.length, 600);
    const counts = perSecond(times, 10);
    counts.forEach((count, second) => {
      const expected = rateAt(spec, second + 0.5); // the mean rate over [s, s+1)
      assert.ok(Math.abs(count - expected) <= 1, `second ${second}: ${count} vs ${expected}`);
    });
    // Gaps shrink monotonically as the rate climbs.
    for (let i = 2; i < times.length; i += 1) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      const previous = (times[i - 1] as number) - (times[i - 2] as number);
      assert.ok(gap <= previous + 1e-9);
    }
  });

  test("ramp from 0 and ramp down both cover the duration", () => {
    const up = arrivalTimesMs(
      { kind: "ramp", ratePerSecond: 0, rampToPerSecond: 100, durationSeconds: 4 },
      1,
    );
    assert.equal(up.length, 200);
    assert.deepEqual(perSecond(up, 4), [13, 37, 63, 87]);
    const down = arrivalTimesMs(
      { kind: "ramp", ratePerSecond: 100, rampToPerSecond: 0, durationSeconds: 4 },
      1,
    );
    assert.equal(down.length, 200);
    assert.deepEqual(perSecond(down, 4), [88, 62, 38, 12]);
  });

  test("Poisson can ramp too (non-homogeneous): counts follow the rate", () => {
    const spec = ArrivalSpec.parse({
      kind: "poisson",
      ratePerSecond: 0,
      rampToPerSecond: 2000,
      durationSeconds: 10,
    });
    const counts = perSecond(arrivalTimesMs(spec, 9), 10);
    counts.forEach((count, second) => {
      const expected = rateAt(spec, second + 0.5);
      assert.ok(
        Math.abs(count - expected) < 5 * Math.sqrt(expected),
        `second ${second}: ${count} vs ${expected}`,
      );
    });
  });

  test("the spec is validated", () => {
    assert.equal(
      ArrivalSpec.safeParse({ kind: "constant", ratePerSecond: 0, durationSeconds: 5 }).success,
      false,
    );
    assert.equal(
      ArrivalSpec.safeParse({ kind: "ramp", ratePerSecond: 5, durationSeconds: 5 }).success,
      false,
    );
    assert.equal(
      ArrivalSpec.safeParse({ kind: "poisson", ratePerSecond: 5, durationSeconds: 0 }).success,
      false,
    );
    assert.equal(
      ArrivalSpec.safeParse({ kind: "burst", ratePerSecond: 5, durationSeconds: 5 }).success,
      false,
    );
  });
});
