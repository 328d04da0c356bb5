// Verdicts say exactly what their data supports (docs/verdicts.md). Each test drives a real run
// — the API, a worker process, real models, the proxy, PostgreSQL — into one of the ways a
// verdict used to claim more than its data: a halt mid-fault, a launch while chaos is halted,
// overflow, repeated items, a network fault on one of two targets sharing an origin, a fault that
// cannot reach its target, a lone target's resilience, fast failures in a P99, fallback answers,
// and a generator that fell behind.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ApiBody,
  networkLatencyPhase,
  type RunHarness,
  sleep,
  startRunHarness,
} from "../../testing/run-harness";
import { type RunReport, readRunRecord, type SloReport } from "./run-record";

let harness: RunHarness;

const FP32 = { name: "fp32", model: "ppocr-v4-rec", role: "candidate" };
const INT8 = { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline" };
const INT6 = { name: "int6", model: "ppocr-v4-rec-int6", role: "baseline" };

function spec(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    targets: [FP32, INT8],
    dataset: { name: "textline-v1", limit: 40 },
    load: { arrival: "constant", rate: 5, maxInFlight: 16, timeoutMs: 5000, seed: 11 },
    phases: [
      { name: "steady", durationSeconds: 2 },
      { name: "fault", durationSeconds: 6, faults: [{ type: "latency", latencyMs: 50 }] },
      { name: "recovery", durationSeconds: 2 },
    ],
    hypothesis: [{ phase: "*", slos: ["success_rate>=0.99", "p(99)<5000"] }],
    ...overrides,
  };
}

/** The run's typed record, through the one reader. */
async function recordOf(runId: string): Promise<{ run: ApiBody; report: RunReport; verdict: SloReport }> {
  const run = (await harness.api("GET", `/api/v1/runs/${runId}`)).body;
  const { report, verdict } = readRunRecord(run as { summary: unknown; verdict: unknown });
  assert.ok(report && verdict, `run ${runId} has no readable record: ${JSON.stringify(run).slice(0, 500)}`);
  return { run, report, verdict };
}

async function junitOf(runId: string): Promise<string> {
  const response = await harness.api("GET", `/api/v1/runs/${runId}/report?format=junit`);
  assert.equal(response.status, 200, response.text);
  return response.text;
}

const FINAL = ["passed", "failed", "aborted", "errored", "invalid"];

before(async () => {
  harness = await startRunHarness({
    prefix: "faultline_verdicts",
    models: ["ppocr-v4-rec", "ppocr-v4-rec-int8", "ppocr-v4-rec-int6", "tesseract-eng-line"],
  });
});

after(async () => {
  await harness?.api("POST", "/api/v1/faults/arm").catch(() => {});
  await harness?.stop();
});

describe("verdicts on real runs", () => {
  it("a drill halted during its fault phase is invalid, not PASSED; the halt says who, and JUnit errors", async (t) => {
    const created = await harness.api("POST", "/api/v1/tokens", { name: "ops-bot", role: "operator" });
    assert.equal(created.status, 201, created.text);
    const runId = await harness.launch(spec("halted mid-fault"));
    const deadline = Date.now() + 60_000;
    while ((await harness.runFaults(runId)).length === 0) {
      assert.ok(Date.now() < deadline, "the fault phase never started");
      await sleep(200);
    }
    await sleep(1000);
    const halted = await harness.api("POST", "/api/v1/faults/halt", {}, created.body.token);
    assert.equal(halted.status, 200, halted.text);
    await harness.api("POST", "/api/v1/faults/arm");

    const final = await harness.waitForStatus(runId, FINAL);
    assert.equal(final.status, "invalid");
    const { report, verdict } = await recordOf(runId);
    assert.equal(verdict.verdict, "invalid");
    assert.equal(report.verdict, "invalid");
    assert.equal(report.halts.length, 1);
    assert.equal(report.halts[0]?.actor, "ops-bot");
    assert.deepEqual(report.halts[0]?.phases, ["fault"]);
    const fault = report.validity.find((phase) => phase.phase === "fault");
    assert.equal(fault?.valid, false);
    assert.equal(fault?.reasons[0]?.code, "faults_cut_short");
    assert.ok(
      verdict.invalidReasons.some((reason) => reason.code === "halted" && /ops-bot/.test(reason.message)),
    );
    // The phases the halt did not touch are still judged on their own data.
    assert.ok(verdict.results.some((result) => result.phase === "steady" && result.verdict === "pass"));
    assert.ok(
      verdict.results
        .filter((result) => result.phase === "fault")
        .every((result) => result.verdict === "invalid"),
    );
    const junit = await junitOf(runId);
    assert.match(junit, /<error /);
    assert.doesNotMatch(junit, /<testsuites[^>]*errors="0"/);
    t.diagnostic(
      `halted: status ${final.status}, verdict ${verdict.verdict}, halted by ${report.halts[0]?.actor}, JUnit errors ${(junit.match(/<error /g) ?? []).length}`,
    );
  });

  it("a drill whose faults cannot start (chaos halted before its fault phase) stops, invalid, not pass", async () => {
    // Launching while halted is refused outright (lib/experiments/launch.int.test.ts); a run
    // already going when chaos is halted reaches its fault phase and cannot start its faults.
    const runId = await harness.launch(spec("halted before its fault phase"));
    await harness.waitForStatus(runId, ["running"]);
    assert.equal((await harness.api("POST", "/api/v1/faults/halt")).status, 200);
    try {
      const final = await harness.waitForStatus(runId, FINAL);
      assert.equal(final.status, "aborted");
      const { verdict, report } = await recordOf(runId);
      assert.equal(verdict.verdict, "invalid");
      const fault = report.validity.find((phase) => phase.phase === "fault");
      assert.ok(fault?.reasons.some((reason) => reason.code === "faults_not_started"));
      assert.match(fault?.reasons.map((reason) => reason.message).join(" ") ?? "", /409/);
      assert.equal(report.validity.find((phase) => phase.phase === "recovery")?.valid, false);
      assert.match(await junitOf(runId), /<error /);
    } finally {
      await harness.api("POST", "/api/v1/faults/arm");
    }
  });

  it("overflow is a failure in every rate: success_rate and error_rate{class:overflow} fail", async (t) => {
    const runId = await harness.launch(
      spec("overflow", {
        targets: [FP32],
        load: { arrival: "constant", rate: 20, maxInFlight: 2, timeoutMs: 5000, seed: 3 },
        phases: [{ name: "fault", durationSeconds: 4, faults: [{ type: "latency", latencyMs: 500 }] }],
        hypothesis: [{ phase: "*", slos: ["success_rate>=0.99", "error_rate{class:overflow}<0.01"] }],
      }),
    );
    const final = await harness.waitForStatus(runId, FINAL);
    assert.equal(final.status, "failed");
    const { report, verdict } = await recordOf(runId);
    const target = report.targets[0];
    assert.ok((target?.counts.overflow ?? 0) > 40, JSON.stringify(target?.counts));
    assert.ok((target?.successRate ?? 1) < 0.5);
    const success = verdict.results.find((result) => result.slo === "success_rate>=0.99");
    assert.equal(success?.verdict, "fail");
    assert.ok((success?.observed ?? 1) < 0.5);
    assert.equal(verdict.results.find((result) => result.slo.startsWith("error_rate"))?.verdict, "fail");
    t.diagnostic(
      `overflow: success ${target?.successRate?.toFixed(3)}, overflow ${target?.counts.overflow} of ${target?.requests}, success_rate>=0.99 ${success?.verdict}`,
    );
  });

  it("repeats of an item are one observation: 4 items sent 30 times each can never be significant", async (t) => {
    const runId = await harness.launch(
      spec("four items", {
        targets: [FP32, INT6],
        dataset: {
          name: "textline-v1",
          limit: 4,
          corruptions: [{ corruption: "gaussian_blur", severity: 4, weight: 1 }],
        },
        load: { arrival: "constant", rate: 20, maxInFlight: 32, timeoutMs: 5000, seed: 4 },
        phases: [{ name: "blurred", durationSeconds: 6 }],
        hypothesis: [{ phase: "*", slos: ["success_rate>=0.9"] }],
      }),
    );
    await harness.waitForStatus(runId, FINAL);
    const { report } = await recordOf(runId);
    const accuracy = report.comparisons[0]?.accuracy as {
      verdict: string;
      items?: number;
      counts?: { n: number };
    };
    assert.equal(accuracy.verdict, "inconclusive", JSON.stringify(accuracy));
    assert.equal(accuracy.items, 4);
    assert.equal(accuracy.counts?.n, 4);
    assert.deepEqual(
      report.targets.map((target) => target.items),
      [4, 4],
    );
    assert.equal(
      report.targets[0]?.itemTallies?.total.reduce((sum, n) => sum + n, 0),
      120,
    );
    t.diagnostic(`four items: ${JSON.stringify(accuracy)}`);
  });

  it("a network fault on one target delays that target only, though both share an origin", async (t) => {
    const runId = await harness.launch(
      spec("network on one target", {
        phases: [{ name: "steady", durationSeconds: 2 }, networkLatencyPhase("net", 4, "fp32", 300)],
        hypothesis: [
          { phase: "net", target: "fp32", slos: ["p(50)>=300"] },
          { phase: "net", target: "int8", slos: ["p(50)<250"] },
        ],
      }),
    );
    const final = await harness.waitForStatus(runId, FINAL);
    const { report } = await recordOf(runId);
    const p50 = (target: string) =>
      report.phases.find((row) => row.phase === "net" && row.target === target)?.p50Ms;
    assert.ok((p50("fp32") ?? 0) >= 300, `fp32 P50 ${p50("fp32")}`);
    assert.ok((p50("int8") ?? 1e9) < 250, `int8 P50 ${p50("int8")} (it has no toxic)`);
    assert.equal(final.status, "passed");
    t.diagnostic(`network on fp32 only: P50 fp32 ${p50("fp32")} ms, int8 ${p50("int8")} ms`);
  });

  it("refuses, when the spec is saved, a fault that cannot reach a target's traffic", async () => {
    const external = {
      name: "gpt",
      model: "ppocr-v4-rec",
      url: `${harness.web.url}/v1/chat/completions`,
      role: "baseline",
    };
    const refused = await harness.api(
      "POST",
      "/api/v1/experiments",
      spec("unreachable fault", {
        targets: [FP32, external],
        phases: [
          { name: "fault", durationSeconds: 2, faults: [{ type: "error", status: 500, probability: 0.5 }] },
        ],
      }),
    );
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /gpt/);
    const named = await harness.api(
      "POST",
      "/api/v1/experiments",
      spec("unreachable fault, named", {
        targets: [FP32, external],
        phases: [
          { name: "fault", durationSeconds: 2, faults: [{ type: "latency", latencyMs: 300, model: "gpt" }] },
        ],
      }),
    );
    assert.equal(named.status, 400, named.text);
    assert.match(named.text, /URL target/);
  });

  it("a run whose generator fell behind has its latency SLOs invalid, and the rest still judged", async (t) => {
    const runId = await harness.launch(
      spec("generator behind", {
        targets: [FP32, INT8],
        load: { arrival: "constant", rate: 10, maxInFlight: 16, timeoutMs: 5000, seed: 2 },
        phases: [{ name: "steady", durationSeconds: 8 }],
        // Lenient on rates: the burst after the freeze may be shed; the point is the latency SLO.
        hypothesis: [{ phase: "*", slos: ["success_rate>=0.5", "p(99)<5000"] }],
      }),
    );
    await harness.waitForStatus(runId, ["running"]);
    await sleep(3000);
    // Freeze the worker (as a long GC pause or a starved VM would): its sends fall behind.
    const worker = harness.worker();
    worker.kill("SIGSTOP");
    await sleep(1500);
    worker.kill("SIGCONT");
    await harness.waitForStatus(runId, FINAL);
    const { run, report, verdict } = await recordOf(runId);
    assert.equal(run.status, "invalid", JSON.stringify(verdict.results));
    assert.equal(report.latencyInvalid, true);
    assert.equal(verdict.results.find((result) => result.slo === "p(99)<5000")?.verdict, "invalid");
    assert.equal(verdict.results.find((result) => result.slo === "success_rate>=0.5")?.verdict, "pass");
    assert.ok(verdict.invalidReasons.some((reason) => reason.code === "generator_behind"));
    // Nor is a latency comparison: the candidate's P99 against the baseline's is not judged either.
    const p99 = report.comparisons[0]?.p99;
    assert.equal(p99?.verdict, "inconclusive");
    assert.match((p99 as { reason?: string }).reason ?? "", /fell behind/);
    t.diagnostic(
      `generator behind: status ${run.status}, p(99) ${verdict.results.find((r) => r.slo === "p(99)<5000")?.verdict}, max lag ${report.maxSendLagMs.toFixed(0)} ms`,
    );
  });

  // Last: its model_failure phase opens fp32's circuit breaker, which then serves the fallback for
  // a while (a state of the model server, not of the run).
  it("scores a lone target at 50 % success on its own SLOs (not 100), keeps fast errors out of P99, and counts fallback answers apart", async (t) => {
    const runId = await harness.launch(
      spec("lone target", {
        targets: [FP32],
        load: { arrival: "constant", rate: 10, maxInFlight: 16, timeoutMs: 5000, seed: 9 },
        phases: [
          { name: "errors", durationSeconds: 4, faults: [{ type: "error", status: 503, probability: 0.5 }] },
          { name: "fallback", durationSeconds: 3, faults: [{ type: "model_failure" }] },
        ],
        hypothesis: [
          {
            phase: "errors",
            slos: ["success_rate>=0.99 ~ >=0.95", "p(99)<2000", "p(25){outcomes:all}<100000"],
          },
          { phase: "fallback", slos: ["error_rate{class:degraded}<0.01"] },
        ],
      }),
    );
    await harness.waitForStatus(runId, FINAL);
    const { report, verdict } = await recordOf(runId);
    const resilience = report.resilience[0];
    assert.equal(resilience?.id, "fp32");
    assert.ok(resilience?.score !== null && (resilience?.score ?? 100) < 60, JSON.stringify(resilience));
    // The relative view of a lone target is the old rank: 100, and it is labelled as such.
    assert.equal(report.resilienceRelative[0]?.score, 100);

    const errors = report.phases.find((row) => row.phase === "errors" && row.target === "fp32");
    assert.ok(errors && (errors.successRate ?? 1) < 0.75 && (errors.successRate ?? 0) > 0.25);
    // End to end, a failed request is wrong; over answered requests it is not counted.
    assert.ok(errors && errors.accuracy !== null && errors.answeredAccuracy !== null);
    assert.ok((errors?.accuracy ?? 1) < (errors?.answeredAccuracy ?? 0) * 0.8);
    // The injected 503s answer in a millisecond; answered requests take a model call. Over every
    // outcome the lower quartile falls among the fast errors; over answered requests it does not.
    const allOutcomesP25 = verdict.results.find((result) =>
      result.slo.startsWith("p(25){outcomes:all}"),
    )?.observed;
    assert.ok(
      allOutcomesP25 !== null && allOutcomesP25 !== undefined && (errors?.p50Ms ?? 0) > 2 * allOutcomesP25,
      `P50 over answered ${errors?.p50Ms} ms, P25 over all outcomes ${allOutcomesP25} ms`,
    );

    const target = report.targets[0];
    assert.ok((target?.counts.degraded ?? 0) > 10, JSON.stringify(target?.counts));
    assert.ok((target?.degradedBy["tesseract-eng-line"] ?? 0) > 10, JSON.stringify(target?.degradedBy));
    const fallback = report.phases.find((row) => row.phase === "fallback");
    assert.ok((fallback?.successRate ?? 1) < 0.3, "a fallback's answer is not a success of the model asked");
    // Fallback answers are never scored as the requested model's: only its own answers are.
    const [windows] = await harness.prisma.$queryRawUnsafe<
      Array<{ ok: bigint; scored: bigint; degraded: bigint }>
    >(
      `select sum(w.ok)::bigint as ok, sum(w.scored)::bigint as scored, sum(w.degraded)::bigint as degraded
       from windows w join run_arms a on a.id = w.arm_id where a.run_id = $1::uuid and w.phase = 'fallback'`,
      runId,
    );
    const [ok, scored, degraded] = [windows?.ok, windows?.scored, windows?.degraded].map(Number);
    assert.ok(
      (degraded ?? 0) > 10 && (scored ?? 1) <= (ok ?? 0),
      `ok ${ok}, scored ${scored}, degraded ${degraded}`,
    );
    assert.equal(verdict.results.find((result) => result.phase === "fallback")?.verdict, "fail");
    t.diagnostic(
      `lone target: absolute ${resilience?.score}, relative ${report.resilienceRelative[0]?.score}; errors phase success ${errors?.successRate?.toFixed(2)}, accuracy ${errors?.accuracy?.toFixed(2)} end to end vs ${errors?.answeredAccuracy?.toFixed(2)} answered, P50 answered ${errors?.p50Ms} ms vs P25 all ${allOutcomesP25} ms; degraded ${target?.counts.degraded} (${JSON.stringify(target?.degradedBy)})`,
    );
  });
});
