// The chaos layer end to end, against the production web process with a real model, a real
// PostgreSQL and the embedded proxy on real sockets: fault leases and their control API, every
// fault type's effect on requests, scope, expiry without a live owner, restart, halt and arm.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { createProxyControl, type ProxyControl } from "../../chaos/proxy/control";
import { type ProxyServer, startProxyServer } from "../../chaos/proxy/server";
import { createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { freePort } from "../net/free-port";

const MODEL = "ppocr-v4-rec";
// biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, checked field by field
type Json = Record<string, any>;
const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

let database: TestDatabase;
let prisma: PrismaClient;
let proxyServer: ProxyServer;
let proxy: ProxyControl;
let web: WebServer;
let webEnv: Record<string, string>;
let png: Buffer;

const client = createApiClient(() => web.url);

/** The fault control API; `headers` replace the defaults (no token unless they carry one). */
async function control(method: string, route: string, body?: unknown, headers?: Record<string, string>) {
  return client.call<Json>(
    method,
    `/api/v1/faults${route}`,
    body,
    headers ? { token: null, headers } : undefined,
  );
}

async function startFault(body: Record<string, unknown>) {
  const created = await control("POST", "", { ttlSeconds: 60, ...body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body as { id: string; expiresAt: string };
}

async function infer(run?: string, bytes: Uint8Array = png, signal?: AbortSignal) {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(bytes)], { type: "image/png" }));
  const started = performance.now();
  const response = await fetch(`${web.url}/api/v1/models/${MODEL}/infer`, {
    method: "POST",
    body: form,
    headers: run ? { "x-faultline-run": run } : {},
    signal,
  });
  const body = (await response.json()) as Json;
  return {
    status: response.status,
    body,
    ms: performance.now() - started,
    faults: response.headers.get("x-faultline-faults"),
  };
}

async function activeIds(): Promise<string[]> {
  const listed = await control("GET", "");
  return (listed.body.faults as Array<{ id: string }>).map((fault) => fault.id);
}

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_chaos" });
  prisma = createPrismaClient(database.url, 2);
  proxyServer = await startProxyServer({ host: "127.0.0.1", port: await freePort() });
  proxy = createProxyControl(proxyServer.url);
  webEnv = {
    DATABASE_URL: database.url,
    FAULTLINE_MODELS: `${MODEL},tesseract-eng-line`,
    PROXY_PORT: String(proxyServer.port),
  };
  web = await startWebServer(webEnv);
  png = await readFile(path.join(process.cwd(), "datasets", "textline-v1", "images", "0001.png"));
});

// A failed test must not leave its faults to the next one.
afterEach(async () => {
  for (const id of await activeIds()) await control("DELETE", `/${id}`);
});

after(async () => {
  await web?.stop();
  await proxyServer?.close();
  await prisma?.$disconnect();
  await database?.drop();
});

describe("the fault control API", () => {
  it("answers 401 without the operator token, or with a wrong one", async () => {
    assert.equal((await control("GET", "", undefined, {})).status, 401);
    const wrong = await control(
      "POST",
      "",
      { type: "latency", latencyMs: 1, ttlSeconds: 5, scope: { run: "x" } },
      {
        authorization: "Bearer not-the-token-at-all",
        "content-type": "application/json",
      },
    );
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, "unauthorized");
    assert.deepEqual(await activeIds(), []);
  });

  it("refuses bad input with 400 and a code, creating nothing", async () => {
    const cases: Array<[unknown, string]> = [
      [{ type: "nonsense", ttlSeconds: 5, scope: { run: "x" } }, "unknown_fault_type"],
      [{ type: "latency", latencyMs: -5, ttlSeconds: 5, scope: { run: "x" } }, "invalid_fault"],
      [
        { type: "latency", latencyMs: 5, probability: 1.5, ttlSeconds: 5, scope: { run: "x" } },
        "invalid_fault",
      ],
      [
        { type: "latency", latencyMs: 5, probability: -0.1, ttlSeconds: 5, scope: { run: "x" } },
        "invalid_fault",
      ],
      [{ type: "latency", latencyMs: 5, scope: { run: "x" } }, "invalid_fault"],
      [{ type: "latency", latencyMs: 5, ttlSeconds: 86_400, scope: { run: "x" } }, "invalid_fault"],
      [{ type: "latency", latencyMs: 5, ttlSeconds: 5 }, "invalid_fault"],
      [{ type: "latency", latencyMs: 5, ttlSeconds: 5, scope: { all: false } }, "invalid_fault"],
      [{ type: "latency", latencyMs: 5, ttlSeconds: 5, scope: { run: "x" }, latencyMS: 9 }, "invalid_fault"],
      [
        { type: "latency", latencyMs: 5, ttlSeconds: 5, scope: { run: "x" }, model: "no-such" },
        "model_not_found",
      ],
      [
        {
          type: "network",
          proxy: "missing",
          toxic: { type: "latency", attributes: { latency: 5 } },
          ttlSeconds: 5,
          scope: { run: "x" },
        },
        "network_fault_failed",
      ],
      [{ type: "cpu_burn", cores: 1, probability: 0.5, ttlSeconds: 5, scope: { run: "x" } }, "invalid_fault"],
      ["{not json", "invalid_json"],
      ["", "invalid_json"],
      [[1, 2], "invalid_fault"],
    ];
    for (const [body, code] of cases) {
      const answer = await control("POST", "", body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)} → ${answer.status}`);
      assert.equal(answer.body.error.code, code, JSON.stringify(body));
      assert.equal(typeof answer.body.error.message, "string");
    }
    assert.deepEqual(await activeIds(), []);
    assert.equal(await prisma.fault.count(), 0);
  });

  it("renews a lease, stops a fault, and says 404 for one that is not active", async () => {
    const fault = await startFault({ type: "latency", latencyMs: 1, ttlSeconds: 5, scope: { run: "renew" } });
    const renewed = await control("POST", `/${fault.id}/renew`, { ttlSeconds: 120 });
    assert.equal(renewed.status, 200);
    assert.ok(Date.parse(renewed.body.expiresAt) - Date.now() > 100_000);
    assert.equal((await control("DELETE", `/${fault.id}`)).status, 200);
    assert.equal((await control("DELETE", `/${fault.id}`)).status, 404);
    assert.equal((await control("POST", `/${fault.id}/renew`, {})).status, 404);
    const events = await prisma.faultEvent.findMany({ where: { faultId: fault.id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      events.map((event) => event.event),
      ["started", "stopped"],
    );
  });
});

describe("faults on requests", () => {
  it("adds 200 ± 50 ms to requests of its run only", async () => {
    const fault = await startFault({
      type: "latency",
      latencyMs: 200,
      jitterMs: 50,
      scope: { run: "slow" },
      seed: 1,
    });
    const plain: number[] = [];
    const delayed: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      plain.push((await infer("other")).ms);
      const hit = await infer("slow");
      assert.equal(hit.faults, fault.id);
      delayed.push(hit.ms);
    }
    const added = median(delayed) - median(plain);
    assert.ok(added >= 150 && added <= 250, `added ${added.toFixed(1)} ms at the median`);
    for (const ms of delayed)
      assert.ok(ms - median(plain) >= 140 && ms - median(plain) <= 300, `one request took ${ms} ms`);
    await control("DELETE", `/${fault.id}`);
  });

  it("hits about 30 % of 1,000 requests at probability 0.3", async () => {
    const fault = await startFault({
      type: "latency",
      latencyMs: 0,
      probability: 0.3,
      scope: { run: "p" },
      seed: "p30",
    });
    let hits = 0;
    const notAnImage = Buffer.from("definitely not an image");
    for (let i = 0; i < 1000; i += 1) {
      const answer = await infer("p", notAnImage);
      if (answer.faults === fault.id) hits += 1;
    }
    // Binomial(1000, 0.3): mean 300, sd 14.5; ±4.5 sd.
    assert.ok(hits >= 235 && hits <= 365, `${hits} hits`);
    await control("DELETE", `/${fault.id}`);
  });

  it("applies error, abort, corrupt_output, slow_model, model_failure and overload", async () => {
    const ids = {
      error: await startFault({ type: "error", status: 418, message: "teapot", scope: { run: "error" } }),
      abort: await startFault({ type: "abort", scope: { run: "abort" } }),
      garble: await startFault({ type: "corrupt_output", rate: 0.5, scope: { run: "garble" } }),
      slow: await startFault({ type: "slow_model", factor: 6, scope: { run: "slow_model" } }),
      failure: await startFault({ type: "model_failure", scope: { run: "failure" } }),
      overload: await startFault({
        type: "overload",
        concurrency: 0,
        queueSize: 0,
        scope: { run: "overload" },
      }),
    };
    const cleanRuns = [await infer(), await infer(), await infer()];
    const clean = cleanRuns[2] as Awaited<ReturnType<typeof infer>>;
    assert.equal(clean.status, 200);
    const cleanInferMs = median(cleanRuns.map((run) => run.body.timings.inferMs as number));

    const error = await infer("error");
    assert.equal(error.status, 418);
    assert.equal(error.body.error.code, "injected_fault");
    assert.equal(error.body.error.message, "teapot");

    await assert.rejects(infer("abort"), "the connection is cut mid-response");

    const garbled = await infer("garble");
    assert.equal(garbled.status, 200);
    assert.notEqual(garbled.body.answer, clean.body.answer);
    assert.equal(garbled.body.answer.length, clean.body.answer.length);

    const slow = await infer("slow_model");
    assert.ok(
      slow.body.timings.inferMs >= cleanInferMs * 3,
      `${JSON.stringify(slow.body.timings)} vs ${cleanInferMs}`,
    );

    const failed = await infer("failure");
    assert.equal(failed.status, 200, "the fallback answers");
    assert.equal(failed.body.degraded, true);
    assert.equal(failed.body.servedBy, "tesseract-eng-line");

    const shed = await infer("overload");
    assert.equal(shed.status, 429);
    assert.equal(shed.body.error.code, "overloaded");
    assert.equal((await infer()).status, 200, "other traffic is untouched");
    for (const fault of Object.values(ids)) await control("DELETE", `/${fault.id}`);
  });

  it("corrupts the input at the chosen severity", async () => {
    const fault = await startFault({
      type: "corrupt_input",
      corruption: "gaussian_noise",
      severity: 5,
      scope: { run: "noise" },
    });
    const clean = await infer();
    const noisy = await infer("noise");
    assert.equal(noisy.status, 200);
    assert.notEqual(noisy.body.confidence, clean.body.confidence);
    await control("DELETE", `/${fault.id}`);
  });

  it("holds a hung request until the client gives up, and releases hung requests when the fault ends", async () => {
    const fault = await startFault({ type: "hang", scope: { run: "hang" } });
    await assert.rejects(infer("hang", png, AbortSignal.timeout(400)), { name: "TimeoutError" });
    const pending = infer("hang");
    await sleep(300);
    await control("DELETE", `/${fault.id}`);
    const released = await pending;
    assert.equal(released.status, 200);
  });

  it("hits all traffic only when the scope says so, and audits it", async () => {
    const fault = await startFault({ type: "error", status: 503, scope: { all: true } });
    assert.equal((await infer()).status, 503);
    assert.equal((await infer("any-run")).status, 503);
    await control("DELETE", `/${fault.id}`);
    assert.equal((await infer()).status, 200);
    const audit = await prisma.auditEvent.findFirst({ where: { action: "fault.start", target: fault.id } });
    assert.ok(audit, "the start is audited");
    assert.deepEqual((audit.details as { scope?: unknown }).scope, { all: true });
  });

  it("holds cores and memory while active, and lets them go when stopped", async () => {
    const pid = web.child.pid as number;
    const threadsBefore = await threadCount(pid);
    const burn = await startFault({ type: "cpu_burn", cores: 1, scope: { run: "burn" } });
    assert.ok((await threadCount(pid)) > threadsBefore, "a burner thread runs");
    await control("DELETE", `/${burn.id}`);
    await sleep(200);
    assert.ok((await threadCount(pid)) <= threadsBefore, "and stops");

    const rssBefore = await rssMib(pid);
    const memory = await startFault({ type: "memory_pressure", mib: 256, scope: { run: "memory" } });
    assert.ok((await rssMib(pid)) - rssBefore >= 230, "256 MiB are held");
    await control("DELETE", `/${memory.id}`);
  });
});

describe("leases", () => {
  it("expires a fault nobody renews within a second of its deadline, even after its creator is killed", async () => {
    const creator = spawn(
      process.execPath,
      [
        "-e",
        `fetch(${JSON.stringify(`${web.url}/api/v1/faults`)}, { method: "POST", headers: ${JSON.stringify(auth)},
          body: JSON.stringify({ type: "latency", latencyMs: 50, ttlSeconds: 2, scope: { run: "orphan" } }) })
          .then((r) => r.json()).then((fault) => { console.log(fault.id); setInterval(() => {}, 1000); });`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const id = await new Promise<string>((resolve) =>
      creator.stdout.once("data", (chunk) => resolve(String(chunk).trim())),
    );
    const created = Date.now();
    creator.kill("SIGKILL");
    assert.ok((await activeIds()).includes(id));
    while ((await activeIds()).includes(id)) await sleep(50);
    const goneAfterMs = Date.now() - created;
    assert.ok(goneAfterMs <= 3000, `gone after ${goneAfterMs} ms`);
    assert.equal((await infer("orphan")).faults, null);
    const events = await prisma.faultEvent.findMany({ where: { faultId: id } });
    assert.deepEqual(events.map((event) => event.event).sort(), ["expired", "started"]);
  });

  it("keeps valid leases across a restart of the web process, and ends lapsed ones", async () => {
    const lasting = await startFault({
      type: "latency",
      latencyMs: 1,
      ttlSeconds: 120,
      scope: { run: "restart" },
    });
    const lapsing = await startFault({
      type: "latency",
      latencyMs: 1,
      ttlSeconds: 2,
      scope: { run: "restart" },
    });
    await web.stop();
    await sleep(2200);
    web = await startWebServer(webEnv);
    assert.deepEqual(await activeIds(), [lasting.id]);
    const ended = await prisma.fault.findUnique({ where: { id: lapsing.id } });
    assert.equal(ended?.endReason, "expired");
    await control("DELETE", `/${lasting.id}`);
  });
});

describe("the kill switch", () => {
  it("clears app faults and Faultline's proxy toxics within a second, refuses new faults until armed, and survives a restart", async () => {
    const upstream = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamPort = (upstream.address() as net.AddressInfo).port;
    await proxy.ensureProxy({ name: "model", listen: "127.0.0.1:0", upstream: `127.0.0.1:${upstreamPort}` });
    // A toxic someone else made: the kill switch must leave it alone.
    await fetch(`${proxyServer.url}/proxies/model/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: "theirs", type: "latency", attributes: { latency: 1 } }),
    });
    await startFault({ type: "latency", latencyMs: 100, scope: { run: "halt" } });
    await startFault({
      type: "network",
      proxy: "model",
      toxic: { type: "latency", attributes: { latency: 100 } },
      scope: { run: "halt" },
    });
    assert.equal((await proxy.listFaultlineToxics()).length, 1);

    const started = performance.now();
    const halted = await control("POST", "/halt");
    const haltMs = performance.now() - started;
    assert.equal(halted.status, 200);
    assert.ok(haltMs < 1000, `halt took ${haltMs} ms`);
    assert.deepEqual(await activeIds(), []);
    assert.equal((await proxy.listFaultlineToxics()).length, 0);
    const theirs = await fetch(`${proxyServer.url}/proxies/model/toxics/theirs`);
    assert.equal(theirs.status, 200);

    const refused = await control("POST", "", {
      type: "latency",
      latencyMs: 1,
      ttlSeconds: 5,
      scope: { run: "x" },
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, "chaos_halted");

    await web.stop();
    web = await startWebServer(webEnv);
    assert.equal((await control("GET", "")).body.halted, true);
    assert.equal(
      (await control("POST", "", { type: "latency", latencyMs: 1, ttlSeconds: 5, scope: { run: "x" } }))
        .status,
      409,
    );

    assert.equal((await control("POST", "/arm")).status, 200);
    const again = await startFault({ type: "latency", latencyMs: 1, ttlSeconds: 5, scope: { run: "x" } });
    await control("DELETE", `/${again.id}`);
    const switches = await prisma.faultEvent.findMany({ where: { faultId: null }, orderBy: { at: "asc" } });
    assert.deepEqual(
      switches.map((event) => event.event),
      ["halted", "armed"],
    );
    const audit = await prisma.auditEvent.findMany({
      where: { action: { in: ["chaos.halt", "chaos.arm"] } },
    });
    assert.equal(audit.length, 2);
    upstream.close();
  });
});

async function threadCount(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
}

async function rssMib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]) / 1024;
}
