// Runs end to end: the spec through the API, a worker process taking the run from the queue,
// open-model load on two real models, faults per phase through the control API, windows in
// PostgreSQL, verdicts and reports; abort; and a worker killed mid-fault (kill -9).
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import type { ProxyServer } from "../../chaos/proxy/server";
import type { TestDatabase } from "../../testing/database";
import { networkLatencyPhase, type RunHarness, sleep, startRunHarness } from "../../testing/run-harness";
import { TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { spawnScript } from "../../testing/worker-process";
import type { PrismaClient } from "../db/prisma";

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" };

let harness: RunHarness;
let database: TestDatabase;
let prisma: PrismaClient;
let proxy: ProxyServer;
let web: WebServer;
let worker: ChildProcess;

const startWorkerProcess = () => harness.startWorker();
const workerOutput = () => harness.workerOutput();
const api: RunHarness["api"] = (...args) => harness.api(...args);
const launch: RunHarness["launch"] = (...args) => harness.launch(...args);
const waitForStatus: RunHarness["waitForStatus"] = (...args) => harness.waitForStatus(...args);
const runFaults: RunHarness["runFaults"] = (runId) => harness.runFaults(runId);

function spec(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    targets: [
      { name: "fp32", model: "ppocr-v4-rec", role: "candidate" },
      { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline" },
    ],
    dataset: { name: "textline-v1", limit: 40 },
    load: { arrival: "constant", rate: 5, maxInFlight: 16, timeoutMs: 5000, seed: 5 },
    phases: [
      { name: "steady", durationSeconds: 3 },
      { name: "fault", durationSeconds: 3, faults: [{ type: "latency", latencyMs: 300, model: "fp32" }] },
      { name: "recovery", durationSeconds: 2 },
    ],
    hypothesis: [
      { phase: "*", slos: ["success_rate>=0.99"] },
      { phase: "fault", target: "fp32", slos: ["p(50)>=300"] },
      { phase: "steady", slos: ["p(99)<300 ~ <2000"] },
    ],
    ...overrides,
  };
}

before(async () => {
  harness = await startRunHarness({
    prefix: "faultline_runs",
    models: ["ppocr-v4-rec", "ppocr-v4-rec-int8"],
  });
  ({ database, prisma, proxy, web } = harness);
  worker = harness.worker();
});

after(async () => {
  await harness?.stop();
});

describe("a run whose worker loses PostgreSQL for 30 s", () => {
  it("loses no window: the requests in the database equal the requests the runner sent", async () => {
    // Only a worker reaching PostgreSQL through the proxy may take this run.
    worker.kill("SIGKILL");
    const target = new URL(database.url);
    await fetch(`${proxy.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({
        name: "postgres",
        listen: "127.0.0.1:0",
        upstream: `${target.hostname}:${target.port || 5432}`,
      }),
    });
    const created = (await (await fetch(`${proxy.url}/proxies/postgres`)).json()) as { listen: string };
    const viaProxy = new URL(database.url);
    viaProxy.port = created.listen.split(":").pop() as string;
    const cutWorker = harness.startWorker({ DATABASE_URL: viaProxy.toString() });
    try {
      const runId = await launch(
        spec("database-cut", {
          phases: [{ name: "steady", durationSeconds: 45 }],
          hypothesis: [{ phase: "*", slos: ["success_rate>=0.99"] }],
        }),
      );
      await waitForStatus(runId, ["running"]);
      await sleep(5000);
      await fetch(`${proxy.url}/proxies/postgres`, {
        method: "POST",
        body: JSON.stringify({ enabled: false }),
      });
      await sleep(30_000);
      await fetch(`${proxy.url}/proxies/postgres`, {
        method: "POST",
        body: JSON.stringify({ enabled: true }),
      });
      const run = await waitForStatus(runId, ["passed", "failed", "errored", "aborted"], 120_000);
      assert.ok(["passed", "failed"].includes(run.status), `${run.status}: ${run.error}`);
      for (const arm of run.arms as Array<{ id: string; label: string }>) {
        const [row] = await prisma.$queryRawUnsafe<Array<{ n: bigint; windows: bigint }>>(
          "select sum(ok + http_4xx + http_5xx + rejected_429 + timeout + connection_error + degraded + overflow)::bigint as n, count(*)::bigint as windows from windows where arm_id = $1::uuid",
          arm.id,
        );
        const sent = run.summary.targets.find((target: { target: string }) => target.target === arm.label);
        assert.equal(
          Number(row?.n),
          sent.requests,
          `${arm.label}: ${row?.n} in PostgreSQL, ${sent.requests} sent`,
        );
        assert.equal(Number(row?.windows), 45, `${arm.label}: one window per second`);
      }
    } finally {
      cutWorker.kill("SIGKILL");
      worker = startWorkerProcess();
    }
  });
});

describe("a run", () => {
  it("refuses an invalid spec with the path of the offending field", async () => {
    const bad = spec("bad", {
      load: { arrival: "constant", rate: -1, maxInFlight: 1, timeoutMs: 1, seed: 1 },
    });
    const answer = await api("POST", "/api/v1/experiments", bad);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, "invalid_spec");
    assert.match(answer.body.error.message, /load\.rate/);
  });

  it("runs phases with their faults on paired arms, records every request, and judges the hypothesis", async () => {
    // The fault is on fp32's link: an app-level fault naming fp32's model would also reach the
    // chat target, which asks Faultline for the same model (the spec refuses that).
    const paired = spec("paired", {
      phases: [
        { name: "steady", durationSeconds: 3 },
        networkLatencyPhase("fault", 3, "fp32", 300),
        { name: "recovery", durationSeconds: 2 },
      ],
    });
    // The OpenAI-compatible path, against Faultline's own /v1/chat/completions.
    paired.targets.push({
      name: "chat",
      model: "ppocr-v4-rec",
      role: "baseline",
      url: `${web.url}/v1/chat/completions`,
    } as never);
    const runId = await launch(paired);
    const run = await waitForStatus(runId, ["passed", "failed", "errored", "aborted"]);
    assert.ok(
      ["passed", "failed"].includes(run.status),
      `${run.status}: ${run.error}\n${workerOutput().slice(-2000)}`,
    );
    const report = run.summary;
    const fp32 = report.targets.find((target: { target: string }) => target.target === "fp32");
    const int8 = report.targets.find((target: { target: string }) => target.target === "int8");
    const chat = report.targets.find((target: { target: string }) => target.target === "chat");
    assert.equal(fp32.requests, int8.requests, "paired arms get the same requests");
    assert.equal(chat.requests, fp32.requests);
    assert.equal(chat.successRate, 1, "the chat-completions target answers");
    assert.ok(chat.accuracy >= 0.9, `chat accuracy ${chat.accuracy}`);
    assert.ok(fp32.requests >= 35, `${fp32.requests} requests`);
    // The fault hit fp32 only, in its phase.
    const faultSlo = run.verdict.results.find(
      (r: { phase: string; target: string; slo: string }) =>
        r.phase === "fault" && r.target === "fp32" && r.slo.startsWith("p(50)"),
    );
    assert.ok(faultSlo.observed >= 300, `fp32 p50 during the fault: ${faultSlo.observed}`);
    assert.equal(faultSlo.verdict, "pass");
    // Every request the runner counted is in PostgreSQL, once.
    for (const arm of run.arms as Array<{ id: string; label: string }>) {
      const [row] = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
        "select sum(ok + http_4xx + http_5xx + rejected_429 + timeout + connection_error + degraded + overflow)::bigint as n from windows where arm_id = $1::uuid",
        arm.id,
      );
      const summary = report.targets.find((target: { target: string }) => target.target === arm.label);
      const allPhases = await prisma.window.count({ where: { armId: arm.id } });
      assert.ok(allPhases >= 8, `${allPhases} windows`);
      assert.ok(
        Number(row?.n) >= summary.requests,
        `${row?.n} in the database for ${summary.requests} counted`,
      );
    }
    assert.equal((await runFaults(runId)).length, 0, "nothing of the run is left active");
    const events = await prisma.faultEvent.findMany({ where: { runKey: runId }, orderBy: { at: "asc" } });
    assert.deepEqual(
      events.map((event) => event.event),
      ["started", "stopped"],
    );
    assert.ok(run.fingerprint.gitCommit === null || /^[0-9a-f]{40}$/.test(run.fingerprint.gitCommit));
    assert.ok(run.fingerprint.models["ppocr-v4-rec"].sha256);

    const again = await api("POST", `/api/v1/runs/${runId}/rerun`);
    assert.equal(again.status, 201);
    assert.equal(again.body.seed, run.seed);
    assert.equal(again.body.experimentVersionId, run.experimentVersionId);
    await api("POST", `/api/v1/runs/${again.body.id}/abort`);

    const sse = await fetch(`${web.url}/api/v1/runs/${runId}/events`, { headers: auth });
    assert.equal(sse.headers.get("content-type"), "text/event-stream");
    const stream = await sse.text();
    assert.match(stream, /event: fault\ndata: \{"event":"started"/);
    assert.match(stream, /event: window\ndata: \{"target":"fp32","phase":"steady","second":0,/);
    assert.match(stream, /event: end\ndata: \{"status":"(passed|failed)"/);
    // Resuming: window events carry their id; Last-Event-ID or ?after= skip what the client has.
    const windowIds = [...stream.matchAll(/id: (\d+)\nevent: window\n/g)].map((match) => match[1] as string);
    assert.ok(windowIds.length > 10, `${windowIds.length} window ids`);
    const middle = windowIds[Math.floor(windowIds.length / 2)] as string;
    const count = (text: string) => (text.match(/event: window\n/g) ?? []).length;
    const expectedAfterMiddle = windowIds.filter((id) => BigInt(id) > BigInt(middle)).length;
    const resumed = await fetch(`${web.url}/api/v1/runs/${runId}/events`, {
      headers: { ...auth, "last-event-id": middle },
    });
    assert.equal(count(await resumed.text()), expectedAfterMiddle);
    const after = await fetch(`${web.url}/api/v1/runs/${runId}/events?after=${middle}`, { headers: auth });
    assert.equal(count(await after.text()), expectedAfterMiddle);
    const latest = await (
      await fetch(`${web.url}/api/v1/runs/${runId}/events?after=latest`, { headers: auth })
    ).text();
    assert.equal(count(latest), 0);
    assert.match(latest, /event: end\n/);
    const bad = await api("GET", `/api/v1/runs/${runId}/events?after=yesterday`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_after");

    const junit = await api<string>("GET", `/api/v1/runs/${runId}/report?format=junit`);
    assert.equal(junit.status, 200);
    assert.match(junit.body, /<testsuite name="paired \/ fp32 \(candidate\)"/);
  });

  it("drills from the CLI: exit 99 when an SLO fails; Ctrl-C aborts and rolls the faults back", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "faultline-drill-"));
    const env = { FAULTLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN, DATABASE_URL: "" };
    const failing = path.join(dir, "failing.json");
    await writeFile(
      failing,
      JSON.stringify(
        spec("cli-failing", {
          phases: [{ name: "steady", durationSeconds: 2 }],
          hypothesis: [{ phase: "*", slos: ["p(99)<0.001"] }],
        }),
      ),
    );
    const junit = path.join(dir, "failing.xml");
    const failed = spawnScript("scripts/drill.ts", [failing, "--url", web.url, "--junit", junit], env);
    assert.equal(await failed.exited, 99, failed.output());
    assert.match(failed.output(), /cli-failing: FAILED/);
    assert.match(await readFile(junit, "utf8"), /<failure message="fail: observed/);

    const long = path.join(dir, "long.yaml");
    await writeFile(
      long,
      stringify(
        spec("cli-interrupted", {
          phases: [{ name: "fault", durationSeconds: 60, faults: [{ type: "latency", latencyMs: 20 }] }],
          hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
        }),
      ),
    );
    const interrupted = spawnScript("scripts/drill.ts", [long, "--url", web.url], env);
    const runId = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const match = /run ([0-9a-f-]{36}) queued/.exec(interrupted.output());
        if (match) {
          clearInterval(poll);
          resolve(match[1] as string);
        }
      }, 100);
    });
    while ((await runFaults(runId)).length === 0) await sleep(200);
    interrupted.child.kill("SIGINT");
    assert.equal(await interrupted.exited, 1, interrupted.output());
    assert.match(interrupted.output(), /ABORTED/);
    assert.equal((await runFaults(runId)).length, 0);
    await rm(dir, { recursive: true, force: true });
  });

  it("aborts on request: faults rolled back, status aborted; the audit log says who saved, launched and aborted", async () => {
    const created = await api("POST", "/api/v1/tokens", { name: "drill-bot", role: "operator" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const operator = created.body.token as string;
    const runId = await launch(
      spec("aborted", {
        phases: [{ name: "fault", durationSeconds: 30, faults: [{ type: "latency", latencyMs: 50 }] }],
        hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
      }),
      operator,
    );
    await waitForStatus(runId, ["running"]);
    while ((await runFaults(runId)).length === 0) await sleep(200);
    assert.equal((await api("POST", `/api/v1/runs/${runId}/abort`, undefined, operator)).status, 200);
    const run = await waitForStatus(runId, ["aborted", "errored"], 30_000);
    assert.equal(run.status, "aborted", run.error);
    assert.equal((await runFaults(runId)).length, 0);
    const again = await api("POST", `/api/v1/runs/${runId}/abort`, undefined, operator);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "run_finished");

    const audit = await prisma.auditEvent.findMany({
      where: { actor: "drill-bot", action: { in: ["experiment.save", "run.launch", "run.abort"] } },
      orderBy: { at: "asc" },
    });
    assert.deepEqual(
      audit.map((row) => [row.action, row.action === "experiment.save" ? null : row.runId]),
      [
        ["experiment.save", null],
        ["run.launch", runId],
        ["run.abort", runId],
      ],
    );
    assert.deepEqual(audit[2]?.details, { statusBefore: "running" });
  });

  it("aborts a queued run at once, audits a rerun, and refuses a launch body that is not JSON", async () => {
    const saved = await api("POST", "/api/v1/experiments", spec("queued-then-aborted"));
    const experimentId = saved.body.experiment.id as string;
    const notJson = await api("POST", `/api/v1/experiments/${experimentId}/runs`, "{seed: 1");
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error.code, "invalid_json");
    // With no worker, a launched run stays queued until it is aborted.
    worker.kill("SIGKILL");
    try {
      const launched = await api("POST", `/api/v1/experiments/${experimentId}/runs`, { seed: 11 });
      assert.equal(launched.status, 201);
      const aborted = await api("POST", `/api/v1/runs/${launched.body.id}/abort`);
      assert.equal(aborted.status, 200);
      assert.equal(aborted.body.status, "aborted");
      const rerun = await api("POST", `/api/v1/runs/${launched.body.id}/rerun`);
      assert.equal(rerun.status, 201);
      assert.equal(rerun.body.seed, "11");
      assert.equal((await api("POST", `/api/v1/runs/${rerun.body.id}/abort`)).status, 200);
      const audit = await prisma.auditEvent.findMany({
        where: { runId: { in: [launched.body.id, rerun.body.id] } },
        orderBy: { at: "asc" },
      });
      assert.deepEqual(
        audit.map((row) => [row.actor, row.action, row.runId]),
        [
          ["admin", "run.launch", launched.body.id],
          ["admin", "run.abort", launched.body.id],
          ["admin", "run.rerun", rerun.body.id],
          ["admin", "run.abort", rerun.body.id],
        ],
      );
      assert.deepEqual(audit[1]?.details, { statusBefore: "queued" });
      assert.equal((audit[2]?.details as { of?: string } | undefined)?.of, launched.body.id);
    } finally {
      worker = startWorkerProcess();
    }
  });

  it("survives its worker being killed mid-fault: leases lapse, the run ends errored with the reason", async () => {
    const runId = await launch(
      spec("killed", {
        phases: [{ name: "fault", durationSeconds: 60, faults: [{ type: "latency", latencyMs: 50 }] }],
        hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
      }),
    );
    await waitForStatus(runId, ["running"]);
    while ((await runFaults(runId)).length === 0) await sleep(200);
    worker.kill("SIGKILL");
    const killedAt = Date.now();
    while ((await runFaults(runId)).length > 0) await sleep(200);
    assert.ok(Date.now() - killedAt < 8000, "the faults lapse with their leases");
    worker = startWorkerProcess();
    const run = await waitForStatus(runId, ["errored"], 60_000);
    assert.match(run.error, /stopped; last heartbeat .*residual check clean/);
  });
});
