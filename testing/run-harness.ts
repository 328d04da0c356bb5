// Everything an end-to-end run test needs: a fresh database (seeded), the embedded proxy, the
// production web process with the models asked for, a worker process taking runs from the queue,
// and small helpers to call the API, launch a spec and wait for a run's status.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { type ProxyServer, startProxyServer } from "../chaos/proxy/server";
import { createPrismaClient, type PrismaClient } from "../lib/db/prisma";
import { seedDatabase } from "../lib/db/seed";
import { freePort } from "../lib/net/free-port";
import { type ApiBody, type ApiClient, createApiClient } from "./api-client";
import { createTestDatabase, type TestDatabase } from "./database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "./web-server";
import { spawnWorker } from "./worker-process";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A spec phase whose only fault delays `target`'s link by `latencyMs` (a toxic on its own proxy). */
export const networkLatencyPhase = (
  name: string,
  durationSeconds: number,
  target: string,
  latencyMs: number,
) => ({
  name,
  durationSeconds,
  faults: [
    { type: "network", proxy: target, toxic: { type: "latency", attributes: { latency: latencyMs } } },
  ],
});

export type { ApiBody };

export interface RunHarness {
  database: TestDatabase;
  prisma: PrismaClient;
  proxy: ProxyServer;
  web: WebServer;
  /** The worker started last. */
  worker(): ChildProcess;
  /** Another worker process; `env` overrides its settings (e.g. a DATABASE_URL through a proxy). */
  startWorker(env?: Record<string, string>): ChildProcess;
  workerOutput(): string;
  /** The API as the bootstrap admin (or the token given as the fourth argument). */
  api: ApiClient["call"];
  /** Saves the spec and queues a run of it; the run's id. */
  launch(spec: unknown, token?: string): Promise<string>;
  waitForStatus(runId: string, statuses: readonly string[], timeoutMs?: number): Promise<ApiBody>;
  /** Active faults of a run, as the control API lists them. */
  runFaults(runId: string): Promise<Array<{ id: string; type: string; scope: { run?: string } }>>;
  stop(): Promise<void>;
}

export async function startRunHarness(options: {
  prefix: string;
  models: readonly string[];
}): Promise<RunHarness> {
  const database = await createTestDatabase({ prefix: options.prefix });
  await seedDatabase(database.url, { log: () => {} });
  const prisma = createPrismaClient(database.url, 2);
  const proxy = await startProxyServer({ host: "127.0.0.1", port: await freePort() });
  const web = await startWebServer({
    DATABASE_URL: database.url,
    FAULTLINE_MODELS: options.models.join(","),
    PROXY_PORT: String(proxy.port),
  });
  const workers: ChildProcess[] = [];
  const logs: Array<() => string> = [];
  const startWorker = (env: Record<string, string> = {}) => {
    const started = spawnWorker({
      DATABASE_URL: database.url,
      FAULTLINE_WEB_URL: web.url,
      FAULTLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      PROXY_PORT: String(proxy.port),
      ...env,
    });
    logs.push(started.output);
    workers.push(started.child);
    return started.child;
  };
  startWorker();
  const workerOutput = () => logs.map((output) => output()).join("\n");

  const client = createApiClient(web.url);
  const api: RunHarness["api"] = (method, route, body, options) => client.call(method, route, body, options);

  return {
    database,
    prisma,
    proxy,
    web,
    worker: () => workers.at(-1) as ChildProcess,
    startWorker,
    workerOutput,
    api,
    async launch(spec, token) {
      const saved = await api("POST", "/api/v1/experiments", spec, token);
      assert.ok(saved.status === 201 || saved.status === 200, saved.text);
      const run = await api("POST", `/api/v1/experiments/${saved.body.experiment.id}/runs`, {}, token);
      assert.equal(run.status, 201, run.text);
      return run.body.id as string;
    },
    async waitForStatus(runId, statuses, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const run = await api("GET", `/api/v1/runs/${runId}`);
        if (statuses.includes(run.body.status)) return run.body;
        await sleep(250);
      }
      assert.fail(`run ${runId} never reached ${statuses.join("/")}:\n${workerOutput().slice(-3000)}`);
    },
    async runFaults(runId) {
      const listed = await api("GET", "/api/v1/faults");
      return (listed.body.faults as Array<{ id: string; type: string; scope: { run?: string } }>).filter(
        (fault) => fault.scope.run === runId,
      );
    },
    async stop() {
      for (const child of workers) child.kill("SIGKILL");
      await web.stop();
      await proxy.close();
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
