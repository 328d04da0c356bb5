// The recorder against a real PostgreSQL reached through the embedded Toxiproxy-compatible proxy:
// cut the database off for 30 s in the middle of a stream of windows, and every window still
// arrives, exactly once.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createProxyControl } from "../../chaos/proxy/control";
import { type ProxyServer, startProxyServer } from "../../chaos/proxy/server";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { createPrismaClient } from "../db/prisma";
import { freePort } from "../net/free-port";
import { Recorder } from "./recorder";
import type { WindowRecord } from "./window-store";
import { emptyCounts } from "./windows";

const CUT_SECONDS = 30;

let database: TestDatabase;
let proxyServer: ProxyServer;
let armId: string;

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_recorder" });
  const prisma = createPrismaClient(database.url, 1);
  const experiment = await prisma.experiment.create({ data: { name: `recorder-${randomUUID()}` } });
  const version = await prisma.experimentVersion.create({
    data: { experimentId: experiment.id, version: 1, spec: {}, specSha256: "0".repeat(64) },
  });
  const run = await prisma.run.create({
    data: { experimentId: experiment.id, experimentVersionId: version.id, trigger: "cli", seed: 1n },
  });
  armId = (await prisma.runArm.create({ data: { runId: run.id, label: "candidate" } })).id;
  await prisma.$disconnect();
  proxyServer = await startProxyServer({ host: "127.0.0.1", port: await freePort() });
});

after(async () => {
  await proxyServer?.close();
  await database?.drop();
});

function windowAt(second: number): WindowRecord {
  return {
    ...emptyCounts(),
    armId,
    phase: "steady",
    second,
    ok: 10,
    correct: 9,
    scored: 10,
    latencyHistogram: Buffer.from([second % 256]),
    serviceHistogram: Buffer.from([second % 256]),
    failedLatencyHistogram: null,
    maxSendLagMs: 0,
  };
}

describe("the recorder", () => {
  it(`loses nothing when PostgreSQL is unreachable for ${CUT_SECONDS} s, and writes each window once`, async () => {
    const control = createProxyControl(proxyServer.url);
    const target = new URL(database.url);
    const proxy = await control.ensureProxy({
      name: "postgres",
      listen: "127.0.0.1:0",
      upstream: `${target.hostname}:${target.port || 5432}`,
    });
    const viaProxy = new URL(database.url);
    viaProxy.port = proxy.listen.split(":").pop() as string;
    const pool = new pg.Pool({
      connectionString: viaProxy.toString(),
      max: 2,
      connectionTimeoutMillis: 2000,
    });
    pool.on("error", () => {}); // idle clients die with the cut; the recorder retries
    const recorder = new Recorder({ pool, flushIntervalMs: 200 });

    // 10 windows a second for 10 s, then the cut, then 10 s more: as a run would produce them.
    let second = 0;
    const produce = async (seconds: number) => {
      for (let i = 0; i < seconds * 10; i += 1) {
        recorder.add([windowAt(second++)]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await produce(5);
    await fetch(`${proxyServer.url}/proxies/postgres`, {
      method: "POST",
      body: JSON.stringify({ enabled: false }),
    });
    await produce(CUT_SECONDS);
    assert.ok(recorder.stats().queued > 0, "windows wait while the database is away");
    assert.ok(recorder.stats().failedAttempts > 0);
    await fetch(`${proxyServer.url}/proxies/postgres`, {
      method: "POST",
      body: JSON.stringify({ enabled: true }),
    });
    await produce(5);
    await recorder.drain(30_000);
    recorder.close();
    await pool.end();

    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    const { rows } = await direct.query(
      "select count(*)::int as windows, count(distinct second)::int as seconds, sum(ok)::int as ok from windows where arm_id = $1",
      [armId],
    );
    await direct.end();
    assert.deepEqual(rows[0], { windows: second, seconds: second, ok: second * 10 });
  });
});
