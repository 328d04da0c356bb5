import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import {
  DEFAULT_RESILIENCE_WEIGHTS,
  type ResilienceScore,
  type ResilienceTarget,
  scoreResilience,
} from "./resilience";

const withCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const component = (score: ResilienceScore, metric: string) => {
  const found = score.components.find((entry) => entry.metric === metric);
  assert.ok(found, `no ${metric} component`);
  return found;
};
const near = (actual: number | null, expected: number, label: string) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${label}: ${actual}, expected ${expected}`,
  );

const targets: ResilienceTarget[] = [
  { id: "candidate", metrics: { accuracy: 0.9, successRate: 0.99, p99LatencyMs: 300 } },
  { id: "baseline-a", metrics: { accuracy: 0.8, successRate: 0.95, p99LatencyMs: 500 } },
  { id: "baseline-b", metrics: { accuracy: 0.85, successRate: 0.97, p99LatencyMs: 200 } },
];

describe("scoreResilience", () => {
  it("min-max normalises each metric across targets, in its own direction, with the default weights", () => {
    const [candidate, a, b] = scoreResilience(targets);
    assert.ok(candidate && a && b);
    // Accuracy (higher is better): 0.8 → 0, 0.85 → 0.5, 0.9 → 1.
    near(component(b, "accuracy").normalised, 0.5, "accuracy of b");
    // P99 (lower is better): 200 → 1, 300 → 2/3, 500 → 0.
    near(component(candidate, "p99LatencyMs").normalised, 2 / 3, "p99 of candidate");
    near(component(a, "p99LatencyMs").normalised, 0, "p99 of a");
    near(candidate.score, 100 * (0.4 * 1 + 0.35 * 1 + 0.25 * (2 / 3)), "candidate score");
    near(a.score, 0, "worst everywhere");
    near(b.score, 100 * (0.4 * 0.5 + 0.35 * 0.5 + 0.25 * 1), "b score");
    assert.deepEqual(
      candidate.components.map(({ metric, raw, weight }) => [metric, raw, weight]),
      [
        ["accuracy", 0.9, 0.4],
        ["successRate", 0.99, 0.35],
        ["p99LatencyMs", 300, 0.25],
      ],
    );
    assert.equal(candidate.note, null);
    assert.equal(candidate.renormalised, false);
    assert.deepEqual(candidate.missing, []);
  });

  it("gives every target 1 on a metric where they all tie", () => {
    const tied = targets.map((target) => ({ ...target, metrics: { ...target.metrics, successRate: 1 } }));
    for (const score of scoreResilience(tied)) {
      const success = component(score, "successRate");
      assert.equal(success.tied, true);
      assert.equal(success.normalised, 1);
      assert.deepEqual(success.range, { min: 1, max: 1 });
    }
  });

  it("gives a single target 100: there is nothing to lose to", () => {
    const [only] = scoreResilience([targets[0] as ResilienceTarget]);
    assert.equal(only?.score, 100);
  });

  it("leaves a missing metric out instead of scoring it 0 or 1, and rescales the other weights", () => {
    const withGap = [
      ...targets.slice(0, 2),
      { id: "baseline-b", metrics: { accuracy: 0.85, successRate: 0.97 } },
    ];
    const [, , b] = scoreResilience(withGap);
    assert.ok(b);
    const p99 = component(b, "p99LatencyMs");
    assert.equal(p99.raw, null);
    assert.equal(p99.normalised, null);
    assert.equal(p99.effectiveWeight, 0);
    assert.equal(p99.weight, 0.25);
    assert.deepEqual(b.missing, ["p99LatencyMs"]);
    assert.equal(b.renormalised, true);
    near(component(b, "accuracy").effectiveWeight, 0.4 / 0.75, "accuracy weight");
    near(component(b, "successRate").effectiveWeight, 0.35 / 0.75, "success weight");
    near(b.score, 100 * 0.5, "score from accuracy and success only");
    assert.match(b.note ?? "", /No data for p99LatencyMs/);
    // The others' P99 range ignores the gap: 300 is now the best, 500 the worst.
    assert.deepEqual(component(scoreResilience(withGap)[0] as ResilienceScore, "p99LatencyMs").range, {
      min: 300,
      max: 500,
    });
  });

  it("treats null, undefined and NaN alike as no data", () => {
    const scores = scoreResilience([
      { id: "x", metrics: { accuracy: 0.9, successRate: null, p99LatencyMs: Number.NaN } },
      { id: "y", metrics: { accuracy: 0.7, successRate: 0.9, p99LatencyMs: 100 } },
    ]);
    assert.deepEqual(scores[0]?.missing, ["successRate", "p99LatencyMs"]);
    assert.equal(scores[0]?.score, 100);
  });

  it("gives no score, not zero, when a target has no data for any weighted metric", () => {
    const [empty, full] = scoreResilience([{ id: "empty", metrics: {} }, targets[0] as ResilienceTarget]);
    assert.equal(empty?.score, null);
    assert.equal(empty?.renormalised, false);
    assert.deepEqual(empty?.missing, ["accuracy", "successRate", "p99LatencyMs"]);
    assert.match(empty?.note ?? "", /no weighted metric/);
    assert.equal(full?.score, 100);
  });

  it("takes custom weights, rescaled to sum to 1, and shows zero-weight metrics without scoring them", () => {
    const scores = scoreResilience(
      [
        { id: "x", metrics: { errorRate: 0.01, throughputRps: 50, cer: 0.1 } },
        { id: "y", metrics: { errorRate: 0.05, throughputRps: 150 } },
      ],
      { weights: { errorRate: 3, throughputRps: 1, cer: 0 } },
    );
    const [x, y] = scores;
    assert.ok(x && y);
    near(component(x, "errorRate").weight, 0.75, "errorRate weight");
    near(x.score, 75, "x: best error rate, worst throughput");
    near(y.score, 25, "y: worst error rate, best throughput");
    // y has no CER, but a weight-0 metric takes nothing away from the others.
    assert.deepEqual(y.missing, ["cer"]);
    assert.equal(y.renormalised, false);
    assert.match(y.note ?? "", /weight 0/);
  });

  it("keeps the documented default weights", () => {
    assert.deepEqual(DEFAULT_RESILIENCE_WEIGHTS, { accuracy: 0.4, successRate: 0.35, p99LatencyMs: 0.25 });
  });

  it("returns nothing for no targets and rejects bad input", () => {
    assert.deepEqual(scoreResilience([]), []);
    assert.throws(() => scoreResilience(targets, { weights: { accuracy: -1 } }), withCode("invalid_weight"));
    assert.throws(() => scoreResilience(targets, { weights: { accuracy: 0 } }), withCode("invalid_weight"));
    const unknown = { weights: { uptime: 1 } } as unknown as Parameters<typeof scoreResilience>[1];
    assert.throws(() => scoreResilience(targets, unknown), withCode("unknown_metric"));
    assert.throws(
      () => scoreResilience([{ id: "x", metrics: { p99LatencyMs: Number.POSITIVE_INFINITY } }]),
      withCode("invalid_metric"),
    );
    assert.throws(
      () => scoreResilience([targets[0], targets[0]] as ResilienceTarget[]),
      withCode("duplicate_target"),
    );
  });
});
