// Chart data for the run page: gaps stay gaps, buckets merge seconds exactly, phases become bands.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHistogram, encodeHistogram, recordLatencyMs } from "../metrics/histogram";
import { emptyCounts } from "../runner/windows";
import { bucketSecondsFor, preparePhaseBands, prepareRunSeries, type SeriesWindow } from "./run-series";

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

describe("prepareRunSeries", () => {
  it("gives a target without a window in a second a gap (null), not a zero", () => {
    const series = prepareRunSeries([window("a", 0, [10]), window("b", 0, [20]), window("a", 1, [12])], {
      targets: ["a", "b"],
      durationSeconds: 3,
    });
    assert.equal(series.length, 3);
    assert.equal(series[1]?.targets.b, null);
    assert.equal(series[2]?.targets.a, null);
    assert.ok(Math.abs((series[0]?.targets.b?.p50Ms ?? 0) - 20) < 0.1);
  });

  it("merges whole seconds into buckets for long runs, histograms and counts exactly", () => {
    const windows = [window("a", 0, [10, 10, 10]), window("a", 1, [100], { timeout: 1, ok: 1 })];
    const [bucket] = prepareRunSeries(windows, { targets: ["a"], durationSeconds: 2, bucketSeconds: 2 });
    const point = bucket?.targets.a;
    assert.ok(point);
    assert.equal(point.successRate, 4 / 5);
    assert.equal(point.throughputPerSecond, 2);
    assert.ok(Math.abs((point.p99Ms ?? 0) - 100) < 0.2);
    assert.ok(Math.abs((point.p50Ms ?? 0) - 10) < 0.1);
  });

  it("keeps a one-hour run under 600 points", () => {
    assert.equal(bucketSecondsFor(3600), 6);
    assert.equal(bucketSecondsFor(60), 1);
  });
});

describe("preparePhaseBands", () => {
  it("lays the phases end to end and marks the ones that inject faults", () => {
    assert.deepEqual(
      preparePhaseBands([
        { name: "steady", durationSeconds: 20 },
        { name: "fault", durationSeconds: 10, faults: [{ type: "latency" }] },
      ]),
      [
        { phase: "steady", startSecond: 0, endSecond: 20, faulted: false },
        { phase: "fault", startSecond: 20, endSecond: 30, faulted: true },
      ],
    );
  });
});
