// Launching while chaos is halted: a drill with faults is refused up front (409 chaos_halted, with
// who halted it and how to arm it) instead of queuing a run that would abort itself; a drill
// without faults still runs. Both doors are checked: launch and rerun.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RunHarness, startRunHarness } from "../../testing/run-harness";

let harness: RunHarness;

const FINAL = ["passed", "failed", "invalid", "aborted", "errored"] as const;

function spec(name: string, faulted: boolean) {
  return {
    name,
    targets: [{ name: "fp32", model: "ppocr-v4-rec", role: "candidate" }],
    dataset: { name: "textline-v1", limit: 10 },
    load: { arrival: "constant", rate: 4, maxInFlight: 8, timeoutMs: 5000, seed: 11 },
    phases: [
      {
        name: "main",
        durationSeconds: 2,
        faults: faulted ? [{ type: "latency", latencyMs: 50, model: "fp32" }] : [],
      },
    ],
    hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
  };
}

before(async () => {
  harness = await startRunHarness({ prefix: "faultline_launch", models: ["ppocr-v4-rec"] });
});

after(async () => {
  await harness?.stop();
});

describe("launching while chaos is halted", () => {
  it("refuses a launch and a rerun of a drill with faults, naming who halted it, and creates no run", async () => {
    const { api, prisma } = harness;
    const firstRun = await harness.launch(spec("halted-faulted", true));
    await harness.waitForStatus(firstRun, FINAL);
    const first = (await api("GET", `/api/v1/runs/${firstRun}`)).body;

    const oncall = await api("POST", "/api/v1/tokens", { name: "oncall-ana", role: "operator" });
    assert.equal(oncall.status, 201, oncall.text);
    const halted = await api("POST", "/api/v1/faults/halt", {}, oncall.body.token);
    assert.equal(halted.status, 200, halted.text);
    const runsBefore = await prisma.run.count();

    const launched = await api("POST", `/api/v1/experiments/${first.experimentId}/runs`, {});
    const rerun = await api("POST", `/api/v1/runs/${firstRun}/rerun`);
    for (const refused of [launched, rerun]) {
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.body.error.code, "chaos_halted");
      assert.match(
        refused.body.error.message,
        /^Chaos is halted by oncall-ana since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: arm it \(POST \/api\/v1\/faults\/arm, or Arm chaos on the overview\) before launching a drill with faults\.$/,
      );
    }
    assert.equal(await prisma.run.count(), runsBefore, "no run row was created");

    // Armed again, the same rerun goes through: same spec version, same seed.
    const armed = await api("POST", "/api/v1/faults/arm", {});
    assert.equal(armed.status, 200, armed.text);
    const again = await api("POST", `/api/v1/runs/${firstRun}/rerun`);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.seed, first.seed);
    assert.equal(again.body.experimentVersionId, first.experimentVersionId);
    await harness.waitForStatus(again.body.id, FINAL);
  });

  it("still launches and runs a drill without faults", async () => {
    const halted = await harness.api("POST", "/api/v1/faults/halt", {});
    assert.equal(halted.status, 200, halted.text);
    try {
      const runId = await harness.launch(spec("halted-faultless", false));
      const run = await harness.waitForStatus(runId, FINAL);
      assert.equal(run.status, "passed", `${run.status}: ${run.error}`);
      const rerun = await harness.api("POST", `/api/v1/runs/${runId}/rerun`);
      assert.equal(rerun.status, 201, rerun.text);
    } finally {
      await harness.api("POST", "/api/v1/faults/arm", {});
    }
  });
});
