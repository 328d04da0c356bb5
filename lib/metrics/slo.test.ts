import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExperimentSpec } from "../experiments/spec";
import { percentile } from "./percentile";
import {
  checkStopConditions,
  evaluateSlos,
  type LatencyDistribution,
  type MetricValues,
  observe,
  stopBreachResult,
  worstVerdict,
} from "./slo";
import { parseThreshold } from "./thresholds";

/** A latency distribution over plain samples (the runner's comes from HDR histograms). */
function latencyOf(samplesMs: readonly number[]): LatencyDistribution {
  const empty = samplesMs.length === 0;
  return {
    percentileMs: (p) => (empty ? null : percentile(samplesMs, p)),
    avgMs: () => (empty ? null : samplesMs.reduce((sum, ms) => sum + ms, 0) / samplesMs.length),
    minMs: () => (empty ? null : Math.min(...samplesMs)),
    maxMs: () => (empty ? null : Math.max(...samplesMs)),
  };
}

interface Shape extends Partial<Omit<MetricValues, "latency">> {
  correctedMs?: number[];
  serviceMs?: number[];
}

/** 1000 requests over 10 s, 990 ok, 10 timeouts; 500 scored, 450 right; latency 1..100 ms. */
function valuesOf(shape: Shape = {}): MetricValues {
  const { correctedMs, serviceMs, ...rest } = shape;
  const steadyMs = Array.from({ length: 100 }, (_, i) => i + 1);
  return {
    requests: 1000,
    ok: 990,
    byClass: { timeout: 10 },
    latency: { corrected: latencyOf(correctedMs ?? steadyMs), service: latencyOf(serviceMs ?? steadyMs) },
    durationSeconds: 10,
    correct: 450,
    scored: 500,
    cerSum: 25,
    ...rest,
  };
}

const observed = (metric: string, values: MetricValues = valuesOf()) =>
  observe(values, parseThreshold(`${metric}>=0`));

const spec = parseExperimentSpec({
  name: "slo drill",
  targets: [
    { name: "cand", model: "ppocr-v4-int8", role: "candidate" },
    { name: "base", model: "ppocr-v4", role: "baseline" },
  ],
  dataset: { name: "textline-v1" },
  load: { arrival: "constant", rate: 100, maxInFlight: 64, timeoutMs: 2000, seed: 1 },
  phases: [
    { name: "warmup", durationSeconds: 5, counts: false },
    { name: "steady", durationSeconds: 10 },
    { name: "fault", durationSeconds: 10, faults: [{ type: "latency", latencyMs: 300 }] },
  ],
  hypothesis: [
    { phase: "*", slos: ["success_rate>=0.999 ~ >=0.98"] },
    { phase: "fault", target: "cand", slos: ["p(99)<200", "success_rate >= 0.999 ~ >= 0.98"] },
  ],
  stopConditions: [
    { when: "success_rate<0.5", overSeconds: 5 },
    { when: "p(99)>1000", overSeconds: 10, target: "cand" },
  ],
});

describe("metric values", () => {
  it("computes every metric of the vocabulary from the counts", () => {
    assert.equal(observed("success_rate"), 0.99);
    assert.equal(observed("error_rate"), 0.01);
    assert.equal(observed("error_rate{class:timeout}"), 0.01);
    assert.equal(observed("error_rate{class:http_5xx}"), 0);
    assert.equal(observed("throughput"), 99);
    // End to end by default: 450 right of 1000 arrivals; over answered requests, 450 of 500 scored.
    assert.equal(observed("accuracy"), 0.45);
    assert.equal(observed("accuracy{over:answered}"), 0.9);
    assert.equal(observed("accuracy", valuesOf({ scorable: false })), undefined);
    assert.equal(observed("cer"), 0.05);
    assert.equal(observed("count"), 1000);
    assert.equal(observed("count{class:ok}"), 990);
    assert.equal(observed("count{class:timeout}"), 10);
  });

  it("reads latency from the corrected clock unless the service clock is asked for", () => {
    // A 1 s stall once per run: requests queued behind it wait from their intended send time.
    const values = valuesOf({
      correctedMs: [...Array.from({ length: 95 }, () => 10), 1000, 800, 600, 400, 200],
      serviceMs: Array.from({ length: 100 }, () => 10),
    });
    assert.equal(observed("p(99)", values), 800);
    assert.equal(observed("p(99){clock:service}", values), 10);
    assert.equal(observed("p(50)", values), 10);
    assert.equal(observed("max", values), 1000);
    assert.equal(observed("min{clock:service}", values), 10);
    assert.equal(observed("avg", values), (95 * 10 + 3000) / 100);
  });

  it("has no value where there is nothing to measure", () => {
    const idle = valuesOf({
      requests: 0,
      ok: 0,
      byClass: {},
      correctedMs: [],
      serviceMs: [],
      scored: 0,
      correct: 0,
    });
    for (const metric of ["success_rate", "error_rate", "p(99)", "avg", "min", "max", "accuracy", "cer"]) {
      assert.equal(observed(metric, idle), undefined, metric);
    }
    assert.equal(observed("count", idle), 0);
    assert.equal(observed("throughput", idle), 0);
    assert.equal(observed("cer", valuesOf({ cerSum: undefined })), undefined);
    assert.equal(observed("throughput", valuesOf({ durationSeconds: 0 })), undefined);
  });
});

describe("evaluateSlos", () => {
  const healthy = valuesOf({ ok: 1000, byClass: {} });

  it("passes what meets the target, warns within tolerance, fails beyond it", () => {
    const report = evaluateSlos(spec, {
      steady: { cand: healthy, base: valuesOf() },
      fault: { cand: valuesOf({ ok: 900, byClass: { http_5xx: 100 } }), base: healthy },
    });
    const verdictOf = (phase: string, target: string) =>
      report.results
        .filter((result) => result.phase === phase && result.target === target)
        .map((result) => [result.slo, result.observed, result.verdict]);
    assert.deepEqual(verdictOf("steady", "cand"), [["success_rate>=0.999 ~ >=0.98", 1, "pass"]]);
    assert.deepEqual(verdictOf("steady", "base"), [["success_rate>=0.999 ~ >=0.98", 0.99, "warn"]]);
    assert.deepEqual(verdictOf("fault", "cand"), [
      ["success_rate>=0.999 ~ >=0.98", 0.9, "fail"],
      ["p(99)<200", 99, "pass"],
    ]);
  });

  it("judges '*' in every counted phase but never in a warm-up, and each SLO once", () => {
    const report = evaluateSlos(spec, { warmup: { cand: valuesOf({ ok: 0 }) } });
    assert.ok(report.results.every((result) => result.phase !== "warmup"));
    assert.deepEqual(
      report.results.map((result) => `${result.phase}/${result.target}/${result.slo}`),
      [
        "steady/cand/success_rate>=0.999 ~ >=0.98",
        "steady/base/success_rate>=0.999 ~ >=0.98",
        "fault/cand/success_rate>=0.999 ~ >=0.98",
        "fault/cand/p(99)<200",
        "fault/base/success_rate>=0.999 ~ >=0.98",
      ],
    );
  });

  it("calls a target without data no_data, and its verdict invalid, never a pass", () => {
    const report = evaluateSlos(spec, { steady: { cand: healthy }, fault: { cand: healthy } });
    const base = report.targets.find((target) => target.target === "base");
    assert.equal(base?.verdict, "invalid");
    assert.deepEqual(base?.counts, { pass: 0, warn: 0, fail: 0, no_data: 2, invalid: 0 });
    assert.ok(report.results.filter((r) => r.target === "base").every((r) => r.observed === null));
    assert.equal(report.verdict, "pass");
  });

  it("gives each target its worst verdict, per phase and overall", () => {
    const report = evaluateSlos(spec, {
      steady: { cand: valuesOf(), base: healthy },
      fault: { cand: valuesOf({ correctedMs: [] }), base: healthy },
    });
    const cand = report.targets.find((target) => target.target === "cand");
    assert.deepEqual(cand?.phases, { steady: "warn", fault: "no_data" });
    assert.equal(cand?.verdict, "invalid");
    assert.deepEqual(cand?.counts, { pass: 0, warn: 2, fail: 0, no_data: 1, invalid: 0 });
  });

  it("judges no SLO of an invalid phase: the run is invalid, not pass, with the reason", () => {
    const reason = { code: "faults_cut_short" as const, phase: "fault", message: "halted by ops" };
    const report = evaluateSlos(
      spec,
      { steady: { cand: healthy, base: healthy }, fault: { cand: healthy, base: healthy } },
      { invalidPhases: new Map([["fault", [reason]]]) },
    );
    const fault = report.results.filter((result) => result.phase === "fault");
    assert.ok(fault.length > 0 && fault.every((result) => result.verdict === "invalid"));
    assert.equal(fault[0]?.reason, "halted by ops");
    assert.equal(report.verdict, "invalid");
    assert.deepEqual(report.invalidReasons, [reason]);
  });

  it("fails on valid data even when another phase is invalid", () => {
    const report = evaluateSlos(
      spec,
      {
        steady: { cand: valuesOf({ ok: 500, byClass: { http_5xx: 500 } }), base: healthy },
        fault: { cand: healthy, base: healthy },
      },
      { invalidPhases: new Map([["fault", [{ code: "aborted", phase: "fault", message: "aborted" }]]]) },
    );
    assert.equal(report.verdict, "fail");
  });

  it("leaves latency SLOs unjudged when the generator fell behind, and judges the rest", () => {
    const behind = { code: "generator_behind" as const, message: "behind" };
    const report = evaluateSlos(
      spec,
      { steady: { cand: healthy, base: healthy }, fault: { cand: healthy, base: healthy } },
      { latencyInvalid: behind },
    );
    const byText = (slo: string) =>
      report.results.find((r) => r.phase === "fault" && r.target === "cand" && r.slo === slo);
    assert.equal(byText("p(99)<200")?.verdict, "invalid");
    assert.equal(byText("success_rate>=0.999 ~ >=0.98")?.verdict, "pass");
    assert.equal(report.verdict, "invalid");
  });

  it("counts a stop condition that held as a failure", () => {
    const breach = checkStopConditions(spec.stopConditions, () => ({
      cand: valuesOf({ ok: 100, byClass: { overflow: 900 } }),
    }));
    assert.ok(breach);
    const report = evaluateSlos(
      spec,
      { steady: { cand: healthy, base: healthy } },
      { breaches: [stopBreachResult(breach, "steady")] },
    );
    assert.equal(report.verdict, "fail");
    assert.match(report.results.at(-1)?.slo ?? "", /^stop: success_rate<0.5 over 5 s$/);
  });

  it("takes the candidate's verdict as the run's, whatever the baselines did", () => {
    const failingBaseline = valuesOf({ ok: 10, byClass: { connection_error: 990 } });
    const report = evaluateSlos(spec, {
      steady: { cand: healthy, base: failingBaseline },
      fault: { cand: healthy, base: failingBaseline },
    });
    assert.equal(report.candidate, "cand");
    assert.equal(report.targets.find((target) => target.target === "base")?.verdict, "fail");
    assert.equal(report.verdict, "pass");
  });

  it("ranks verdicts fail, then no_data, then warn, then pass", () => {
    assert.equal(worstVerdict([]), "pass");
    assert.equal(worstVerdict(["pass", "warn"]), "warn");
    assert.equal(worstVerdict(["warn", "no_data", "pass"]), "no_data");
    assert.equal(worstVerdict(["no_data", "fail", "warn"]), "fail");
  });
});

describe("checkStopConditions", () => {
  const windows = (byOverSeconds: Record<number, Record<string, MetricValues>>) => (overSeconds: number) =>
    byOverSeconds[overSeconds] ?? {};

  it("names the first condition that holds, the target and the value", () => {
    const breach = checkStopConditions(
      spec.stopConditions,
      windows({ 5: { cand: valuesOf(), base: valuesOf({ ok: 300, byClass: { http_5xx: 700 } }) } }),
    );
    assert.equal(breach?.condition.when, "success_rate<0.5");
    assert.equal(breach?.target, "base");
    assert.equal(breach?.observed, 0.3);
    assert.equal(
      breach?.reason,
      "Stop condition success_rate<0.5 held for base over the last 5 s (observed 0.3).",
    );
  });

  it("reads each condition over its own trailing window", () => {
    const slow = valuesOf({ correctedMs: Array.from({ length: 100 }, () => 5000) });
    const asked: number[] = [];
    const breach = checkStopConditions(spec.stopConditions, (overSeconds) => {
      asked.push(overSeconds);
      return overSeconds === 10 ? { cand: slow } : { cand: valuesOf() };
    });
    assert.deepEqual(asked, [5, 10]);
    assert.equal(breach?.condition.when, "p(99)>1000");
    assert.equal(breach?.observed, 5000);
  });

  it("only watches the target a condition names", () => {
    const slow = valuesOf({ correctedMs: Array.from({ length: 100 }, () => 5000) });
    assert.equal(checkStopConditions(spec.stopConditions, windows({ 10: { base: slow } })), undefined);
  });

  it("never stops a run on a window without data", () => {
    const idle = valuesOf({ requests: 0, ok: 0, byClass: {}, correctedMs: [] });
    assert.equal(
      checkStopConditions(spec.stopConditions, windows({ 5: { cand: idle }, 10: { cand: idle } })),
      undefined,
    );
    assert.equal(checkStopConditions(spec.stopConditions, windows({})), undefined);
  });
});
