// The absolute resilience score: one target's own SLOs decide it, so a lone half-failing target
// is not 100, near-equal targets score near-equally, and nothing unjudged counts as 0 or 1.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { scoreResilience } from "./resilience";
import {
  familyOf,
  RESILIENCE_FAMILY_WEIGHTS,
  type SloCreditInput,
  scoreResilienceFromSlos,
  sloCredit,
} from "./resilience-slo";
import { METRIC_NAMES, type MetricName, parseSlo } from "./thresholds";

const result = (
  slo: string,
  observed: number | null,
  verdict: SloCreditInput["verdict"],
  phase = "fault",
): SloCreditInput => ({ phase, slo, observed, verdict });

const familyScore = (scored: ReturnType<typeof scoreResilienceFromSlos>, family: string) =>
  scored.families.find((entry) => entry.family === family);

describe("familyOf", () => {
  it("puts every metric in one family: quality, whether requests succeed, and time", () => {
    const families = new Set(METRIC_NAMES.map(familyOf));
    assert.deepEqual([...families].sort(), ["accuracy", "availability", "latency"]);
    assert.deepEqual(
      ["accuracy", "cer", "success_rate", "count", "p", "max"].map((metric) =>
        familyOf(metric as MetricName),
      ),
      ["accuracy", "accuracy", "availability", "availability", "latency", "latency"],
    );
  });
});

describe("sloCredit", () => {
  const latency = parseSlo("p(99)<500 ~ <1000");
  const success = parseSlo("success_rate>=0.99 ~ >=0.95");

  it("gives 1 for met, 0 for failed, and null for no_data or invalid", () => {
    assert.equal(sloCredit(latency, 420, "pass"), 1);
    assert.equal(sloCredit(latency, 1400, "fail"), 0);
    assert.equal(sloCredit(parseSlo("p(99)<500"), 600, "fail"), 0);
    assert.equal(sloCredit(latency, null, "no_data"), null);
    assert.equal(sloCredit(latency, 300, "invalid"), null);
  });

  it("interpolates a warn from 1 at the target bound to ½ at the tolerance bound", () => {
    assert.equal(sloCredit(latency, 500, "warn"), 1);
    assert.equal(sloCredit(latency, 750, "warn"), 0.75);
    assert.equal(sloCredit(latency, 1000, "warn"), 0.5);
    // Higher-is-better bounds run the other way.
    assert.ok(Math.abs((sloCredit(success, 0.97, "warn") as number) - 0.75) < 1e-12);
    // Out-of-range observations are clamped, and coinciding bounds give ½.
    assert.equal(sloCredit(latency, 5000, "warn"), 0.5);
    assert.equal(sloCredit(parseSlo("p(99)<500 ~ <=500"), 500, "warn"), 0.5);
  });
});

describe("scoreResilienceFromSlos", () => {
  it("scores a lone target at 50 % success 0 on availability, where the relative score says 100", () => {
    const absolute = scoreResilienceFromSlos("solo", [result("success_rate>=0.99", 0.5, "fail")]);
    assert.equal(familyScore(absolute, "availability")?.score, 0);
    assert.equal(absolute.score, 0);
    const [relative] = scoreResilience([{ id: "solo", metrics: { successRate: 0.5 } }]);
    assert.equal(relative?.score, 100);
  });

  it("gives near-identical targets near-identical scores (the relative score spreads them 0 to 100)", () => {
    const slos = (success: number, verdict: SloCreditInput["verdict"]) => [
      result("success_rate>=0.99 ~ >=0.95", success, verdict),
      result("accuracy>=0.8", 0.85, "pass"),
      result("p(99)<500 ~ <1000", 480, "pass"),
    ];
    const a = scoreResilienceFromSlos("a", slos(0.9901, "pass"));
    const b = scoreResilienceFromSlos("b", slos(0.9899, "warn"));
    assert.equal(a.score, 100);
    assert.ok(Math.abs((a.score as number) - (b.score as number)) <= 0.1, `${a.score} vs ${b.score}`);
    const relative = scoreResilience(
      [
        { id: "a", metrics: { successRate: 0.9901, accuracy: 0.85, p99LatencyMs: 480 } },
        { id: "b", metrics: { successRate: 0.9899, accuracy: 0.85, p99LatencyMs: 480 } },
      ],
      { weights: { successRate: 1 } },
    );
    assert.deepEqual(
      relative.map((score) => score.score),
      [100, 0],
    );
  });

  it("depends on the target's own results only", () => {
    const mine = [
      result("success_rate>=0.999 ~ >=0.98", 0.985, "warn"),
      result("accuracy>=0.9 ~ >=0.8", 0.82, "warn", "fault"),
      result("accuracy>=0.9 ~ >=0.8", 0.93, "pass", "recovery"),
      result("p(99)<800", 950, "fail"),
    ];
    const first = scoreResilienceFromSlos("mine", mine);
    scoreResilienceFromSlos("other", [result("success_rate>=0.999", 0.2, "fail")]);
    scoreResilienceFromSlos("another", [result("success_rate>=0.999", 1, "pass")]);
    assert.deepEqual(scoreResilienceFromSlos("mine", mine), first);
    // By hand: accuracy (0.6 + 1)/2, availability 1 − ½·(0.014/0.019), latency 0.
    const availability = 1 - 0.5 * (0.014 / 0.019);
    const expected = 100 * (0.4 * 0.8 + 0.35 * availability + 0.25 * 0);
    assert.equal(first.score, Math.round(expected * 10) / 10);
    assert.equal(first.note, null);
    assert.equal(first.method, "slo");
    assert.deepEqual(
      first.families.map((family) => [family.family, family.weight, family.effectiveWeight, family.judged]),
      [
        ["accuracy", 0.4, 0.4, 2],
        ["availability", 0.35, 0.35, 1],
        ["latency", 0.25, 0.25, 1],
      ],
    );
  });

  it("leaves out no_data and invalid SLOs, and families with none judged, rescaling the weights", () => {
    const scored = scoreResilienceFromSlos("t", [
      result("success_rate>=0.99", 0.995, "pass"),
      result("error_rate{class:timeout}<0.01", 0.2, "invalid"),
      result("accuracy>=0.9", 0.7, "fail"),
      result("p(99)<500", null, "no_data"),
    ]);
    const availability = familyScore(scored, "availability");
    assert.equal(availability?.score, 100);
    assert.equal(availability?.judged, 1);
    assert.equal(availability?.slos.length, 2);
    assert.equal(availability?.slos[1]?.credit, null);
    const latency = familyScore(scored, "latency");
    assert.equal(latency?.score, null);
    assert.equal(latency?.effectiveWeight, 0);
    const { accuracy, availability: weight } = RESILIENCE_FAMILY_WEIGHTS;
    assert.equal(scored.score, Math.round(((100 * weight) / (accuracy + weight)) * 10) / 10);
    assert.match(scored.note ?? "", /^No judged SLO for latency: left out.*accuracy, availability/);
  });

  it("has no score, and says why, when nothing was judged", () => {
    const scored = scoreResilienceFromSlos("t", [
      result("success_rate>=0.99", 0.5, "invalid"),
      result("p(99)<500", null, "no_data"),
    ]);
    assert.equal(scored.score, null);
    assert.ok(scored.families.every((family) => family.score === null && family.effectiveWeight === 0));
    assert.match(scored.note ?? "", /could be judged/);
    assert.equal(scoreResilienceFromSlos("t", []).score, null);
    assert.match(scoreResilienceFromSlos("t", []).note ?? "", /no SLO results/);
  });

  it("refuses SLO text that does not parse", () => {
    assert.throws(
      () => scoreResilienceFromSlos("t", [result("speed>fast", 1, "pass")]),
      (error: unknown) => error instanceof AppError && error.code === "invalid_threshold",
    );
  });
});
