// The overview's resilience trend: the candidate's score per finished run, a line per experiment.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { candidateScore, prepareResilienceTrend, TREND_COLORS, type TrendRun } from "./trend";

const target = (name: string, role: "candidate" | "baseline") => ({
  target: name,
  role,
  verdict: "pass",
  requests: 10,
  successRate: 1,
  throughputPerSecond: 1,
  accuracy: 0.9,
  cer: null,
  counts: {},
  latencyMs: { p50: 1, p90: 1, p99: 1, p999: 1 },
  serviceMs: { p50: 1, p90: 1, p99: 1, p999: 1 },
});

/** runs.summary as the runner writes it, with the absolute score and the relative rank. */
function report(candidateScoreValue: number | null, candidate = "fp32") {
  return {
    verdict: "pass",
    stopReason: null,
    latencyInvalid: false,
    maxSendLagMs: 0,
    arrivals: 20,
    expectedArrivals: 20,
    durationMs: 10_000,
    targets: [target("int8", "baseline"), target(candidate, "candidate")],
    phases: [],
    comparisons: [],
    resilience: [
      { id: "int8", score: 40, families: [], note: null, method: "slo" },
      { id: candidate, score: candidateScoreValue, families: [], note: null, method: "slo" },
    ],
    resilienceRelative: [
      { id: "int8", score: 0 },
      { id: candidate, score: 100 },
    ],
  };
}

const run = (runId: string, experiment: string, endedAt: string, summary: unknown): TrendRun => ({
  runId,
  experiment,
  endedAt,
  summary,
});

describe("candidateScore", () => {
  it("reads the candidate's score, not the first target's", () => {
    assert.equal(candidateScore(report(87.654)), 87.7);
  });
  it("is the absolute score, never the relative rank stored beside it", () => {
    assert.equal(candidateScore(report(61.2)), 61.2);
  });
  it("is null for an older record whose only score is the min–max rank", () => {
    const older = { ...report(0), resilience: [{ id: "fp32", score: 100 }] };
    assert.equal(candidateScore(older), null);
  });
  it("is null when the report has no score for the candidate or is not a report", () => {
    assert.equal(candidateScore(report(null)), null);
    assert.equal(candidateScore({ ...report(1), targets: [target("a", "baseline")] }), null);
    assert.equal(candidateScore(null), null);
    assert.equal(candidateScore("nope"), null);
  });
});

describe("prepareResilienceTrend", () => {
  const runs = [
    run("r3", "latency-drill", "2026-11-29T12:00:00.000Z", report(70)),
    run("r1", "latency-drill", "2026-11-29T10:00:00.000Z", report(90)),
    run("r2", "overload-drill", "2026-11-29T11:00:00.000Z", report(null)),
    run("r4", "latency-drill", "2026-11-29T11:30:00.000Z", report(null)),
  ];

  it("draws one line per experiment, oldest run first, with a missing score as a gap", () => {
    const trend = prepareResilienceTrend(runs);
    assert.deepEqual(trend.experiments, ["latency-drill", "overload-drill"]);
    assert.equal(trend.selected, null);
    assert.deepEqual(
      trend.series.map((line) => line.experiment),
      ["latency-drill", "overload-drill"],
    );
    const latency = trend.series[0];
    assert.deepEqual(
      latency?.points.map((point) => [point.runId, point.score]),
      [
        ["r1", 90],
        ["r4", null],
        ["r3", 70],
      ],
    );
    assert.equal(latency?.points[0]?.t, Date.parse("2026-11-29T10:00:00.000Z"));
    assert.equal(trend.hasScores, true);
    assert.deepEqual(trend.timeDomain, [
      Date.parse("2026-11-29T10:00:00.000Z"),
      Date.parse("2026-11-29T12:00:00.000Z"),
    ]);
  });

  it("shows only the selected experiment, in the colour it has among all", () => {
    const trend = prepareResilienceTrend(runs, { experiment: "overload-drill" });
    assert.equal(trend.selected, "overload-drill");
    assert.equal(trend.series.length, 1);
    assert.equal(trend.series[0]?.color, TREND_COLORS[1]);
    assert.equal(trend.hasScores, false, "its only run has no score");
    const at = Date.parse("2026-11-29T11:00:00.000Z");
    assert.deepEqual(trend.timeDomain, [at - 3_600_000, at + 3_600_000], "one run: an hour each way");
  });

  it("ignores an unknown selection and copes with no runs at all", () => {
    assert.equal(prepareResilienceTrend(runs, { experiment: "gone" }).selected, null);
    const empty = prepareResilienceTrend([]);
    assert.deepEqual(empty, {
      experiments: [],
      selected: null,
      series: [],
      hasScores: false,
      timeDomain: null,
    });
  });
});
