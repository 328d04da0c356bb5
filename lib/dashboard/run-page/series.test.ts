// Chart data for the run page: gaps stay gaps, buckets merge seconds exactly and restart at phase
// boundaries, phases become bands, outcomes are counted by class.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createHistogram,
  encodeHistogram,
  mergeHistograms,
  percentileMs,
  recordLatencyMs,
} from "../../metrics/histogram";
import { emptyCounts } from "../../runner/windows";
import {
  bucketSecondsFor,
  layoutBuckets,
  prepareErrorBreakdown,
  preparePhaseBands,
  prepareRunSeries,
  type SeriesPart,
  type SeriesWindow,
} from "./series";

function window(
  target: string,
  second: number,
  latenciesMs: number[],
  extra: Partial<SeriesWindow> = {},
): SeriesWindow {
  const histogram = createHistogram();
  for (const ms of latenciesMs) recordLatencyMs(histogram, ms);
  const bytes = encodeHistogram(histogram);
  return {
    ...emptyCounts(),
    target,
    phase: "steady",
    second,
    ok: latenciesMs.length,
    correct: latenciesMs.length,
    scored: latenciesMs.length,
    latencyHistogram: bytes,
    serviceHistogram: bytes,
    ...extra,
  };
}

const near = (actual: number | null | undefined, expected: number, tolerance = 0.2) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < tolerance,
    `${actual} ≉ ${expected}`,
  );

describe("prepareRunSeries", () => {
  it("gives a target without a window in a second a gap (null), not a zero", () => {
    const series = prepareRunSeries([window("a", 0, [10]), window("b", 0, [20]), window("a", 1, [12])], {
      targets: ["a", "b"],
      durationSeconds: 3,
    });
    assert.equal(series.length, 3);
    assert.equal(series[1]?.targets.b, null);
    assert.equal(series[2]?.targets.a, null);
    near(series[0]?.targets.b?.latencyMs.p50, 20, 0.1);
  });

  it("merges whole seconds into buckets for long runs, histograms and counts exactly", () => {
    const windows = [
      window("a", 0, [10, 10, 10]),
      window("a", 1, [100], { timeout: 1, ok: 1, degraded: 1, overflow: 1 }),
    ];
    const [bucket] = prepareRunSeries(windows, { targets: ["a"], durationSeconds: 2, bucketSeconds: 2 });
    const point = bucket?.targets.a;
    assert.ok(point);
    // Every arrival counts in the rate: a degraded answer and an overflow are not successes.
    assert.equal(point.requests, 7);
    near(point.successRate, 4 / 7, 1e-5);
    assert.equal(point.throughputPerSecond, 2);
    near(point.latencyMs.p99, 100);
    near(point.latencyMs.p50, 10, 0.1);
    near(point.serviceMs.p50, 10, 0.1);
  });

  it("gives both clocks their own percentiles, exactly as the histogram library does", () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 1; i <= 200; i += 1) {
      recordLatencyMs(fast, i);
      recordLatencyMs(slow, i * 3 + 40);
    }
    const part: SeriesWindow = {
      ...window("a", 0, []),
      ok: 200,
      latencyHistogram: encodeHistogram(slow),
      serviceHistogram: encodeHistogram(fast),
    };
    const [bucket] = prepareRunSeries([part], { targets: ["a"], durationSeconds: 1 });
    const reference = (bytes: Uint8Array, p: number) => percentileMs(mergeHistograms([bytes]), p);
    for (const [key, p] of [
      ["p50", 50],
      ["p90", 90],
      ["p99", 99],
      ["p999", 99.9],
    ] as const) {
      assert.equal(bucket?.targets.a?.latencyMs[key], reference(part.latencyHistogram, p));
      assert.equal(bucket?.targets.a?.serviceMs[key], reference(part.serviceHistogram, p));
    }
  });

  it("computes only the percentiles and clocks asked for", () => {
    const [bucket] = prepareRunSeries([window("a", 0, [5, 6, 7])], {
      targets: ["a"],
      durationSeconds: 1,
      percentiles: ["p90"],
      clocks: ["service"],
    });
    assert.deepEqual(Object.keys(bucket?.targets.a?.serviceMs ?? {}), ["p90"]);
    assert.deepEqual(bucket?.targets.a?.latencyMs, {});
  });

  it("takes parts summed by SQL (counts added, histograms listed) like windows", () => {
    const a = window("a", 6, [10]);
    const b = window("a", 7, [30], { timeout: 2 });
    const part: SeriesPart = {
      ...emptyCounts(),
      target: "a",
      phase: "steady",
      second: 6,
      ok: 2,
      timeout: 2,
      correct: 2,
      scored: 2,
      latencyHistograms: [a.latencyHistogram, b.latencyHistogram],
      serviceHistograms: [a.serviceHistogram, b.serviceHistogram],
      maxSendLagMs: 4,
    };
    const fromParts = prepareRunSeries([part], { targets: ["a"], durationSeconds: 12, bucketSeconds: 6 });
    const fromWindows = prepareRunSeries([a, b], { targets: ["a"], durationSeconds: 12, bucketSeconds: 6 });
    assert.deepEqual(
      { ...fromParts[1]?.targets.a, maxSendLagMs: 0 },
      { ...fromWindows[1]?.targets.a, maxSendLagMs: 0 },
    );
    assert.equal(fromParts[1]?.targets.a?.maxSendLagMs, 4);
    assert.equal(fromParts[0]?.targets.a, null);
  });

  it("restarts buckets at each phase boundary, so no point mixes two phases", () => {
    const bands = preparePhaseBands([
      { name: "steady", durationSeconds: 10 },
      { name: "fault", durationSeconds: 8, faults: [{ type: "latency", latencyMs: 100 }] },
    ]);
    const slots = layoutBuckets({ durationSeconds: 18, bucketSeconds: 4, bands });
    assert.deepEqual(
      slots.map((slot) => [slot.second, slot.seconds, slot.phase]),
      [
        [0, 4, "steady"],
        [4, 4, "steady"],
        [8, 2, "steady"],
        [10, 4, "fault"],
        [14, 4, "fault"],
      ],
    );
    const series = prepareRunSeries([window("a", 9, [10, 10]), window("a", 10, [200])], {
      targets: ["a"],
      durationSeconds: 18,
      bucketSeconds: 4,
      bands,
    });
    assert.equal(series[2]?.targets.a?.throughputPerSecond, 1, "2 ok over a 2-second bucket");
    near(series[3]?.targets.a?.latencyMs.p50, 200, 0.5);
  });

  it("zooms: only the buckets of the period, clipped to it", () => {
    const slots = layoutBuckets({ durationSeconds: 100, bucketSeconds: 10, from: 15, to: 42 });
    assert.deepEqual(
      slots.map((slot) => [slot.second, slot.seconds]),
      [
        [15, 5],
        [20, 10],
        [30, 10],
        [40, 2],
      ],
    );
  });

  it("divides the bucket being filled by the seconds gone so far while a run goes on", () => {
    const windows = [window("a", 0, [10, 10]), window("a", 1, [10, 10])];
    const [bucket] = prepareRunSeries(windows, {
      targets: ["a"],
      durationSeconds: 60,
      bucketSeconds: 6,
      activeUntilSecond: 2,
    });
    assert.equal(bucket?.targets.a?.throughputPerSecond, 2);
  });

  it("keeps a one-hour run under 600 points", () => {
    assert.equal(bucketSecondsFor(3600), 6);
    assert.equal(bucketSecondsFor(60), 1);
  });
});

describe("preparePhaseBands", () => {
  it("lays the phases end to end and marks and describes the ones that inject faults", () => {
    assert.deepEqual(
      preparePhaseBands([
        { name: "steady", durationSeconds: 20, counts: false },
        { name: "fault", durationSeconds: 10, faults: [{ type: "latency", latencyMs: 300, model: "fp32" }] },
      ]),
      [
        { phase: "steady", startSecond: 0, endSecond: 20, faulted: false, counts: false, faults: [] },
        {
          phase: "fault",
          startSecond: 20,
          endSecond: 30,
          faulted: true,
          counts: true,
          faults: ["latency (latencyMs 300) on fp32"],
        },
      ],
    );
  });
});

describe("prepareErrorBreakdown", () => {
  it("counts each outcome class per target, every target listed even without requests", () => {
    const rows = prepareErrorBreakdown(
      [
        { ...emptyCounts(), target: "a", ok: 5, timeout: 2, overflow: 1 },
        { ...emptyCounts(), target: "a", ok: 1, http5xx: 3, rejected429: 1, degraded: 2 },
      ],
      ["a", "b"],
    );
    assert.deepEqual(rows[0], {
      target: "a",
      requests: 15,
      counts: {
        ok: 6,
        http_4xx: 0,
        http_5xx: 3,
        rejected_429: 1,
        timeout: 2,
        connection_error: 0,
        degraded: 2,
        overflow: 1,
      },
    });
    assert.equal(rows[1]?.requests, 0);
  });
});
