// Two worker processes sharing one PostgreSQL and one queue, against the production web process:
// ten queued runs each execute exactly once and both workers take some; then one worker is
// killed (kill -9) in the middle of a run's fault phase: the fault lapses with its lease, the
// other worker's stale check marks that run errored, and it goes on executing the queue.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ProxyServer, startProxyServer } from "../../chaos/proxy/server";
import { createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { type ScriptProcess, spawnWorker } from "../../testing/worker-process";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { seedDatabase } from "../db/seed";
import { freePort } from "../net/free-port";
import { RUN_QUEUE } from "../scheduler/queue";

const MODEL = "ppocr-v4-rec";
/** FaultController's lease (lib/runner/fault-controller.ts), and what the web's sweeper may add. */
const LEASE_SECONDS = 6;
const LEASE_MARGIN_MS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ENDED = ["passed", "failed", "aborted", "errored"];

interface WorkerHandle {
  process: ScriptProcess;
  id: string;
}

let database: TestDatabase;
let prisma: PrismaClient;
let proxy: ProxyServer;
let web: WebServer;
const workers: WorkerHandle[] = [];
/** Every worker process started, ready or not: after() kills them all, so none outlives the file. */
const spawned: ScriptProcess[] = [];

const client = createApiClient(() => web.url);
const api = (method: string, route: string, body?: unknown) => client.call(method, route, body);

const logs = () => workers.map((worker) => `--- ${worker.id}\n${worker.process.output()}`).join("\n");

async function startWorker(): Promise<WorkerHandle> {
  const started = spawnWorker({
    DATABASE_URL: database.url,
    FAULTLINE_WEB_URL: web.url,
    FAULTLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PROXY_PORT: String(proxy.port),
  });
  spawned.push(started);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    // The worker announces its id (host:pid, the value it writes to runs.worker_id) once it polls.
    const ready = /\[worker\] (\S+) waiting for runs/.exec(started.output());
    if (ready) return { process: started, id: ready[1] as string };
    if (started.child.exitCode !== null) break;
    await sleep(100);
  }
  started.child.kill("SIGKILL");
  throw new Error(`the worker did not start:\n${started.output()}`);
}

async function saveExperiment(name: string, phases: unknown[]): Promise<string> {
  const saved = await api("POST", "/api/v1/experiments", {
    name,
    targets: [{ name: "rec", model: MODEL, role: "candidate" }],
    dataset: { name: "textline-v1", limit: 20 },
    load: { arrival: "constant", rate: 4, maxInFlight: 8, timeoutMs: 5000, seed: 7 },
    phases,
    hypothesis: [{ phase: "*", slos: ["success_rate>=0.9"] }],
  });
  assert.ok(saved.status === 201 || saved.status === 200, JSON.stringify(saved.body));
  return saved.body.experiment.id as string;
}

async function launch(experimentId: string): Promise<string> {
  const run = await api("POST", `/api/v1/experiments/${experimentId}/runs`, {});
  assert.equal(run.status, 201, JSON.stringify(run.body));
  return run.body.id as string;
}

async function waitForStatus(runId: string, statuses: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
    if (statuses.includes(run.status)) return run;
    await sleep(250);
  }
  assert.fail(`run ${runId} never reached ${statuses.join("/")}:\n${logs().slice(-4000)}`);
}

async function activeFaults(runId?: string): Promise<Array<{ id: string; scope: { run?: string } }>> {
  const listed = await api("GET", "/api/v1/faults");
  assert.equal(listed.status, 200);
  const faults = listed.body.faults as Array<{ id: string; scope: { run?: string } }>;
  return runId ? faults.filter((fault) => fault.scope.run === runId) : faults;
}

/** How many times any worker logged starting this run. */
function startsOf(runId: string): number {
  return workers.reduce(
    (sum, worker) => sum + worker.process.output().split(`[worker] run ${runId} started`).length - 1,
    0,
  );
}

/** The states of the run's queue jobs, once the worker has had a moment to complete its job. */
async function settledJobStates(runId: string): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (true) {
    const jobs = await prisma.$queryRaw<Array<{ state: string }>>`
      select state::text as state from pgboss.job where name = ${RUN_QUEUE} and data->>'runId' = ${runId}`;
    const states = jobs.map((job) => job.state);
    if (!states.includes("active") || Date.now() > deadline) return states;
    await sleep(200);
  }
}

/** Exactly one execution: one start, one worker, one fault start and stop, one window per second. */
async function assertExecutedOnce(runId: string, workerIds: string[], secondsOfLoad: number) {
  const run = await prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { arms: true } });
  assert.ok(["passed", "failed"].includes(run.status), `${runId}: ${run.status} ${run.error ?? ""}`);
  assert.ok(run.workerId && workerIds.includes(run.workerId), `${runId} executed by ${run.workerId}`);
  assert.equal(startsOf(runId), 1, `${runId} started ${startsOf(runId)} times`);
  const events = await prisma.faultEvent.findMany({ where: { runKey: runId }, orderBy: { at: "asc" } });
  assert.deepEqual(
    events.map((event) => event.event),
    ["started", "stopped"],
    `${runId}: fault events`,
  );
  assert.deepEqual(await settledJobStates(runId), ["completed"], `${runId}: queue jobs`);
  const summary = run.summary as { targets: Array<{ target: string; requests: number }> };
  for (const arm of run.arms) {
    const [row] = await prisma.$queryRaw<Array<{ windows: number; seconds: number; requests: number }>>`
      select count(*)::int as windows, count(distinct (phase, second))::int as seconds,
        coalesce(sum(ok + http_4xx + http_5xx + rejected_429 + timeout + connection_error + overflow), 0)::int as requests
      from windows where arm_id = ${arm.id}::uuid`;
    assert.equal(row?.windows, secondsOfLoad, `${runId}/${arm.label}: windows`);
    assert.equal(row?.seconds, secondsOfLoad, `${runId}/${arm.label}: one window per phase and second`);
    const sent = summary.targets.find((target) => target.target === arm.label);
    assert.equal(row?.requests, sent?.requests, `${runId}/${arm.label}: requests in PostgreSQL vs sent`);
  }
  return run;
}

const SHORT_PHASES = [
  { name: "steady", durationSeconds: 2 },
  { name: "fault", durationSeconds: 2, faults: [{ type: "latency", latencyMs: 20 }] },
];
const SHORT_SECONDS = 4;

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_workers" });
  await seedDatabase(database.url, { log: () => {} });
  prisma = createPrismaClient(database.url, 2);
  proxy = await startProxyServer({ host: "127.0.0.1", port: await freePort() });
  web = await startWebServer({
    DATABASE_URL: database.url,
    FAULTLINE_MODELS: MODEL,
    PROXY_PORT: String(proxy.port),
  });
  workers.push(...(await Promise.all([startWorker(), startWorker()])));
});

after(async () => {
  for (const script of spawned) script.child.kill("SIGKILL");
  await Promise.all(spawned.map((script) => script.exited));
  await web?.stop();
  await proxy?.close();
  await prisma?.$disconnect();
  await database?.drop();
});

describe("two workers on one queue", () => {
  it("execute ten queued runs exactly once each, and both take some", async (t) => {
    const workerIds = workers.map((worker) => worker.id);
    assert.notEqual(workerIds[0], workerIds[1]);
    const experimentId = await saveExperiment("shared-queue", SHORT_PHASES);
    const runIds: string[] = [];
    for (let i = 0; i < 10; i += 1) runIds.push(await launch(experimentId));

    const takenBy = new Map<string, number>();
    for (const runId of runIds) {
      await waitForStatus(runId, ENDED, 120_000);
      const run = await assertExecutedOnce(runId, workerIds, SHORT_SECONDS);
      takenBy.set(run.workerId as string, (takenBy.get(run.workerId as string) ?? 0) + 1);
    }
    t.diagnostic(`runs per worker: ${JSON.stringify([...takenBy])}`);
    assert.deepEqual(
      [...takenBy.keys()].sort(),
      [...workerIds].sort(),
      `runs per worker: ${JSON.stringify([...takenBy])}`,
    );
    assert.equal((await activeFaults()).length, 0, "no fault is left behind");
  });

  it("survive one worker killed mid-fault: its run ends errored, the other keeps executing runs", async (t) => {
    const longId = await saveExperiment("killed-mid-fault", [
      { name: "steady", durationSeconds: 1 },
      { name: "fault", durationSeconds: 90, faults: [{ type: "latency", latencyMs: 50 }] },
    ]);
    const shortId = await saveExperiment("after-the-kill", SHORT_PHASES);

    const doomed = await launch(longId);
    const running = await waitForStatus(doomed, ["running"], 60_000);
    const victim = workers.find((worker) => worker.id === running.workerId);
    const survivor = workers.find((worker) => worker.id !== running.workerId);
    assert.ok(victim && survivor, `run taken by ${running.workerId}`);
    // Queued while the victim is busy: the survivor takes them, before and after the kill.
    const queuedBefore = [await launch(shortId), await launch(shortId), await launch(shortId)];

    const faultDeadline = Date.now() + 30_000;
    while ((await activeFaults(doomed)).length === 0) {
      assert.ok(Date.now() < faultDeadline, `the fault phase never started:\n${logs().slice(-3000)}`);
      await sleep(200);
    }
    victim.process.child.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.process.exited;
    const afterKill = [await launch(shortId), await launch(shortId)];

    // The fault lapses with its lease: nobody renews it any more.
    const leaseDeadline = killedAt + LEASE_SECONDS * 1000 + LEASE_MARGIN_MS;
    while ((await activeFaults(doomed)).length > 0 && Date.now() < leaseDeadline) await sleep(200);
    assert.deepEqual(await activeFaults(doomed), [], "the killed run's fault outlived its lease");
    t.diagnostic(`fault gone ${Date.now() - killedAt} ms after the kill (lease ${LEASE_SECONDS} s)`);

    // The survivor's stale check (heartbeat older than 15 s, checked every 15 s) ends the run.
    const errored = await waitForStatus(doomed, ["errored", "passed", "failed", "aborted"], 60_000);
    assert.equal(errored.status, "errored", errored.error ?? "");
    t.diagnostic(`run marked errored ${Date.now() - killedAt} ms after the kill`);
    assert.ok(errored.error?.includes(victim.id), errored.error ?? "");
    assert.match(errored.error ?? "", /stopped; last heartbeat .*residual check clean/);
    assert.match(survivor.process.output(), new RegExp(`\\[worker\\] run ${doomed} marked errored`));
    // Its queue job is failed with the reason, not left active until pg-boss expires it.
    assert.deepEqual(await settledJobStates(doomed), ["failed"], "the dead worker's queue job");

    for (const runId of [...queuedBefore, ...afterKill]) {
      await waitForStatus(runId, ENDED, 120_000);
      await assertExecutedOnce(runId, [survivor.id], SHORT_SECONDS);
    }
    assert.equal(startsOf(doomed), 1);
    assert.deepEqual(await activeFaults(), [], "no fault remains");
  });
});
