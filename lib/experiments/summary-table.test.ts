import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SloReport } from "../runner/run-record";
import { readRunRecord } from "../runner/run-record";
import {
  describeHalt,
  drillExitCode,
  EXIT_ERROR,
  EXIT_PASS,
  EXIT_SLO_FAILED,
  formatRunSummary,
  type RunView,
} from "./summary-table";

const quantiles = (p50: number, p99: number) => ({ p50, p90: p99, p99, p999: p99 });
const counts = { pass: 0, warn: 0, fail: 0, no_data: 0, invalid: 0 };

const target = (name: string, role: "candidate" | "baseline", overrides: object = {}) => ({
  target: name,
  role,
  verdict: "pass" as const,
  requests: 600,
  successRate: 0.99,
  throughputPerSecond: 10,
  accuracy: 0.9,
  answeredAccuracy: 0.95,
  cer: null,
  counts: {},
  latencyMs: quantiles(20, 80),
  serviceMs: quantiles(18, 70),
  ...overrides,
});

/** runs.summary as the API returns it (raw JSON, read by the CLI through readRunRecord). */
const summary = {
  verdict: "invalid",
  stopReason: null,
  latencyInvalid: false,
  maxSendLagMs: 1,
  arrivals: 1200,
  expectedArrivals: 1200,
  durationMs: 60_000,
  targets: [
    target("fp32", "candidate", { degradedBy: { int8: 7 } }),
    target("int8", "baseline", { accuracy: 0.885, answeredAccuracy: 0.9 }),
  ],
  phases: [
    {
      phase: "steady",
      target: "fp32",
      counts: true,
      requests: 300,
      successRate: 1,
      accuracy: 0.9,
      p50Ms: 20,
      p99Ms: 80,
    },
    {
      phase: "network-latency",
      target: "fp32",
      counts: true,
      requests: 300,
      successRate: 0.98,
      accuracy: 0.88,
      p50Ms: 200,
      p99Ms: 900,
      valid: false,
    },
  ],
  comparisons: [
    {
      baseline: "int8",
      accuracy: {
        verdict: "inconclusive",
        difference: 0.005,
        interval: [-0.012, 0.023],
        pValue: 0.5512,
        counts: { b: 4, c: 3, n: 60 },
        items: 60,
      },
      p99: { verdict: "inconclusive", estimate: 3.2, interval: [-1, 7.5] },
    },
  ],
  resilience: [
    { id: "fp32", score: 88.2, method: "slo" },
    { id: "int8", score: 75, method: "slo" },
  ],
  validity: [
    { phase: "steady", valid: true, reasons: [] },
    {
      phase: "network-latency",
      valid: false,
      reasons: [{ code: "halted", phase: "network-latency", message: "halted at +34 s by ops-bot" }],
    },
  ],
  halts: [{ at: "2026-12-07T10:00:34Z", second: 34.2, actor: "ops-bot", phases: ["network-latency"] }],
};

const verdict: SloReport = {
  verdict: "invalid",
  candidate: "fp32",
  targets: [{ target: "fp32", role: "candidate", verdict: "invalid", phases: {}, counts }],
  results: [],
  invalidReasons: [
    { code: "halted", phase: "network-latency", message: "halted at +34 s by ops-bot" },
    { code: "faults_cut_short", phase: "network-latency", message: "the latency fault ended 26 s early" },
  ],
};

const view = (overrides: Partial<RunView> = {}): RunView => ({
  id: "r1",
  status: "invalid",
  error: null,
  latencyInvalid: false,
  experiment: { name: "latency-drill" },
  summary,
  verdict,
  ...overrides,
});

describe("formatRunSummary", () => {
  const text = formatRunSummary(view());

  it("heads an invalid run with its first reason and lists every reason below", () => {
    assert.ok(text.includes("latency-drill: INVALID — halted at +34 s by ops-bot\n"));
    assert.ok(text.includes("    · network-latency: halted at +34 s by ops-bot (halted)"));
    assert.ok(text.includes("    · network-latency: the latency fault ended 26 s early (faults_cut_short)"));
  });

  it("prints halts with who threw the switch", () => {
    assert.ok(text.includes("  ⚠ halted at +34s by ops-bot (phases network-latency)"));
  });

  it("shows end-to-end and answered accuracy, and degraded answers when there are some", () => {
    const [header, fp32, int8] = text.split("\n").filter((line) => /^ {2}(target|fp32|int8) /.test(line));
    assert.match(header ?? "", /accuracy +answered +degraded +CER/);
    assert.match(fp32 ?? "", /90\.0% +95\.0% +7 /);
    assert.match(int8 ?? "", /88\.5% +90\.0% +0 /);
    const clean = formatRunSummary(view({ summary: { ...summary, targets: [target("fp32", "candidate")] } }));
    assert.ok(!clean.includes("degraded"));
  });

  it("marks a phase that cannot be judged, with its reason", () => {
    assert.ok(text.includes("  network-latency (invalid: halted)  88% · – · 98% · 900"), text);
    assert.match(text, /\n {2}steady +90% · – · 100% · 80/);
  });

  it("states the comparison on distinct items, and resilience as absolute", () => {
    assert.ok(
      text.includes(
        "  candidate vs int8: accuracy +0.5% [−1.2%, 2.3%] n=60 items p=0.55 → inconclusive; p99 3.2 ms [-1.0, 7.5] → inconclusive",
      ),
    );
    assert.ok(text.includes("  resilience (0–100, from each target's own SLOs): fp32 88, int8 75"));
    const withItems = formatRunSummary(
      view({
        summary: {
          ...summary,
          comparisons: [
            {
              baseline: "int8",
              accuracy: { verdict: "worse", difference: -0.02, interval: [-0.03, -0.01], items: 45 },
              p99: { verdict: "inconclusive", reason: "too few windows" },
            },
          ],
        },
      }),
    );
    assert.ok(
      withItems.includes(
        "candidate vs int8: accuracy −2.0% [−3.0%, −1.0%] n=45 items → worse; p99 inconclusive (too few windows)",
      ),
    );
  });

  it("says PASSED, PASSED with warnings, FAILED, ABORTED and ERRORED", () => {
    const headline = (overrides: Partial<RunView>) => formatRunSummary(view(overrides)).split("\n")[1];
    const judged = (judgement: "pass" | "warn" | "fail") => ({
      ...verdict,
      verdict: judgement,
      invalidReasons: [],
    });
    assert.equal(headline({ status: "passed", verdict: judged("pass") }), "latency-drill: PASSED");
    assert.equal(
      headline({ status: "passed", verdict: judged("warn") }),
      "latency-drill: PASSED with warnings",
    );
    assert.equal(
      headline({
        status: "failed",
        verdict: judged("fail"),
        summary: { ...summary, stopReason: "success_rate<0.5" },
      }),
      "latency-drill: FAILED — success_rate<0.5",
    );
    assert.equal(
      headline({ status: "aborted", error: "aborted on request" }),
      "latency-drill: ABORTED — aborted on request",
    );
    assert.equal(
      headline({ status: "errored", error: "worker died", summary: null, verdict: null }),
      "latency-drill: ERRORED — worker died",
    );
    assert.equal(
      headline({ status: "invalid", summary: null, verdict: null }),
      "latency-drill: INVALID — no reason on record",
    );
  });
});

describe("describeHalt", () => {
  it("says when, who and which phases", () => {
    assert.equal(
      describeHalt({ at: "x", second: 5, actor: "admin", phases: ["a", "b"] }),
      "halted at +5s by admin (phases a, b)",
    );
    assert.equal(
      describeHalt({ at: "x", second: 5, actor: "system", phases: [] }),
      "halted at +5s by system",
    );
  });
});

describe("drillExitCode", () => {
  const record = (judgement: SloReport["verdict"] | null) =>
    readRunRecord({ summary: null, verdict: judgement ? { ...verdict, verdict: judgement } : null });

  it("is 0 for pass and warn, 99 for fail, 1 when no verdict is possible", () => {
    assert.equal(drillExitCode("passed", record("pass")), EXIT_PASS);
    assert.equal(drillExitCode("passed", record("warn")), EXIT_PASS);
    assert.equal(drillExitCode("failed", record("fail")), EXIT_SLO_FAILED);
    assert.equal(drillExitCode("invalid", record("invalid")), EXIT_ERROR);
    assert.equal(drillExitCode("aborted", record("invalid")), EXIT_ERROR);
    assert.equal(drillExitCode("errored", record(null)), EXIT_ERROR);
  });

  it("is 99 for an aborted run whose SLOs had already failed on valid data", () => {
    assert.equal(drillExitCode("aborted", record("fail")), EXIT_SLO_FAILED);
  });
});
