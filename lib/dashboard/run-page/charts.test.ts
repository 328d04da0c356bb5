// One time chart's data: a column per line (target × clock), nulls kept as gaps, stable colours
// with the candidate first, and the count of points drawn.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chartTitle,
  formatElapsed,
  formatMetric,
  prepareTimeChart,
  SERIES_COLORS,
  targetColors,
} from "./charts";
import type { SeriesBucket, TargetPoint } from "./types";

const point = (p99: number, extra: Partial<TargetPoint> = {}): TargetPoint => ({
  requests: 10,
  latencyMs: { p99 },
  serviceMs: { p99: p99 - 5 },
  successRate: 1,
  throughputPerSecond: 10,
  accuracy: 0.9,
  answeredAccuracy: 0.9,
  maxSendLagMs: 0,
  ...extra,
});

const buckets: SeriesBucket[] = [
  { second: 0, seconds: 6, phase: "steady", targets: { a: point(100), b: point(80) } },
  { second: 6, seconds: 6, phase: "steady", targets: { a: null, b: point(90, { accuracy: null }) } },
];

describe("targetColors", () => {
  it("gives the candidate the first colour wherever it is listed, baselines the next ones", () => {
    const colors = targetColors([
      { name: "int8", role: "baseline" },
      { name: "fp32", role: "candidate" },
    ]);
    assert.equal(colors.fp32, SERIES_COLORS[0]);
    assert.equal(colors.int8, SERIES_COLORS[1]);
  });
});

describe("prepareTimeChart", () => {
  it("draws both clocks per target (service dashed), x at the middle of the bucket, gaps as null", () => {
    const chart = prepareTimeChart(
      buckets,
      { kind: "latency", percentile: "p99", clocks: ["corrected", "service"] },
      ["a", "b"],
      { a: "#111", b: "#222" },
    );
    assert.deepEqual(
      chart.series.map((series) => [series.key, series.label, series.color, series.dashed]),
      [
        ["s0", "a (corrected)", "#111", false],
        ["s1", "a (service)", "#111", true],
        ["s2", "b (corrected)", "#222", false],
        ["s3", "b (service)", "#222", true],
      ],
    );
    assert.deepEqual(chart.rows[0], { x: 3, second: 0, seconds: 6, s0: 100, s1: 95, s2: 80, s3: 75 });
    assert.equal(chart.rows[1]?.s0, null);
    assert.equal(chart.points, 6);
  });

  it("labels a single clock by target only, and counts only present values", () => {
    const chart = prepareTimeChart(buckets, { kind: "accuracy" }, ["a", "b"], {});
    assert.deepEqual(
      chart.series.map((series) => series.label),
      ["a", "b"],
    );
    assert.equal(chart.points, 2);
    assert.equal(chartTitle({ kind: "latency", percentile: "p999", clocks: ["corrected"] }), "P99.9 latency");
  });
});

describe("formatting", () => {
  it("formats values by metric and seconds as a clock", () => {
    assert.equal(formatMetric("successRate", 0.9876), "98.8%");
    assert.equal(formatMetric("latency", 1534), "1.53 s");
    assert.equal(formatMetric("latency", 4.25), "4.3 ms");
    assert.equal(formatMetric("throughput", null), "—");
    assert.equal(formatElapsed(65), "1:05");
    assert.equal(formatElapsed(3600), "1:00:00");
  });
});
