// Run notifications end to end on a real PostgreSQL and pg-boss, delivered to a real local HTTP
// receiver: retries with backoff until the receiver accepts, one delivery row per attempt, no
// notification for a passing run, none twice for the same run, Slack's body shape, secrets kept
// out of logs.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type PgBoss from "pg-boss";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { seedSyntheticRun } from "../../testing/synthetic-run";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { startQueue } from "../scheduler/queue";
import { startNotificationWorker } from "./deliver";
import { NOTIFY_QUEUE, type NotifyOptions, notifyRunEnded } from "./notify";
import type { WebhookPayload } from "./payload";

const WEB_URL = "http://faultline.test:3000";
const SLACK_SECRET = "T0FAULT/B0LINE/S3cr3tSlackK3y";
/** Short backoff: retries 1–2 s, then 2–4 s apart. */
const FAST_RETRY = { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: true };

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number | "dropped";
}

let database: TestDatabase;
let prisma: PrismaClient;
let boss: PgBoss;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
const logs: string[] = [];
let flakyCalls = 0;

function startReceiver(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry: Received = {
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        answered: 200,
      };
      received.push(entry);
      if (entry.path === "/flaky") {
        flakyCalls += 1;
        if (flakyCalls === 1) {
          entry.answered = 500;
          response.writeHead(500, { "content-type": "text/plain" }).end("receiver is having a bad day");
          return;
        }
        if (flakyCalls === 2) {
          entry.answered = "dropped";
          request.socket.destroy();
          return;
        }
      }
      if (entry.path === "/down") {
        entry.answered = 503;
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const options = (overrides: Partial<NotifyOptions> = {}): NotifyOptions => ({
  prisma,
  boss,
  webUrl: WEB_URL,
  fallbackWebhook: { url: `${receiverUrl}/ok`, format: "json" },
  retry: FAST_RETRY,
  log: (line) => logs.push(line),
  ...overrides,
});

async function experimentVersion() {
  const experiment = await prisma.experiment.upsert({
    where: { name: "notify-test" },
    update: {},
    create: { name: "notify-test" },
  });
  const version = await prisma.experimentVersion.upsert({
    where: { experimentId_version: { experimentId: experiment.id, version: 1 } },
    update: {},
    create: { experimentId: experiment.id, version: 1, spec: {}, specSha256: "0".repeat(64) },
  });
  return { experimentId: experiment.id, experimentVersionId: version.id };
}

async function createRun(
  status: "passed" | "failed" | "aborted" | "errored" | "running",
  extra: { error?: string; scheduleId?: string } = {},
): Promise<string> {
  const run = await prisma.run.create({
    data: {
      ...(await experimentVersion()),
      status,
      trigger: extra.scheduleId ? "schedule" : "manual",
      scheduleId: extra.scheduleId,
      seed: 1n,
      startedAt: new Date(Date.now() - 60_000),
      endedAt: status === "running" ? null : new Date(),
      error: extra.error,
    },
  });
  return run.id;
}

const deliveries = (runId: string) =>
  prisma.notificationDelivery.findMany({
    where: { runId },
    orderBy: [{ attempt: "asc" }, { createdAt: "asc" }],
  });

/** Waits (polling the delivery log) until `done` holds; fails the test after the deadline. */
async function waitFor(runId: string, done: (rows: Awaited<ReturnType<typeof deliveries>>) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await deliveries(runId);
    if (done(rows)) return rows;
    if (Date.now() > deadline)
      assert.fail(`deliveries of ${runId} never got there: ${JSON.stringify(rows)}\n${logs.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const bodiesFor = (runId: string) => received.filter((entry) => entry.body.includes(runId));

before(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 4);
  receiver = await startReceiver();
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  boss = await startQueue(database.url, (line) => logs.push(line));
  await startNotificationWorker(boss, {
    prisma,
    log: (line) => logs.push(line),
    pollingIntervalSeconds: 0.5,
    timeoutMs: 5000,
  });
});

after(async () => {
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => {});
  await prisma?.$disconnect();
  await new Promise((resolve) => receiver?.close(resolve));
  receiver?.closeAllConnections();
  await database?.drop();
});

describe("run notifications", () => {
  let failedRunId: string;

  it("retries a failing receiver with backoff and delivers once, every attempt logged in order", async () => {
    // A finished run as the worker writes it: a candidate far below its accuracy SLO fails.
    ({ runId: failedRunId } = await seedSyntheticRun({
      databaseUrl: database.url,
      durationSeconds: 120,
      ratePerSecond: 2,
      targets: [
        { name: "fp32", model: "ppocr-v4-rec", role: "candidate", medianMs: 20, accuracy: 0.4 },
        { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline", medianMs: 18, accuracy: 0.95 },
      ],
    }));
    const result = await notifyRunEnded(
      failedRunId,
      options({ fallbackWebhook: { url: `${receiverUrl}/flaky`, format: "json" } }),
    );
    assert.equal(result.outcome, "enqueued");
    assert.equal(result.outcome === "enqueued" && result.event, "run.failed");

    const rows = await waitFor(failedRunId, (all) => all.some((row) => row.status === "delivered"));
    assert.deepEqual(
      rows.map((row) => [row.attempt, row.status, row.responseStatus]),
      [
        [1, "failed", 500],
        [2, "failed", null],
        [3, "delivered", 200],
      ],
    );
    assert.match(rows[0]?.error ?? "", /^HTTP 500: receiver is having a bad day \(will retry\)$/);
    assert.match(rows[1]?.error ?? "", /fetch failed.*\(will retry\)$/);
    assert.equal(rows[2]?.error, null);
    for (const row of rows) {
      assert.equal(row.event, "run.failed");
      assert.equal(row.format, "json");
      assert.equal(row.url, `${receiverUrl}/flaky`);
      assert.ok(row.finishedAt, "every attempt has a finish time");
    }
    const finished = rows.map((row) => row.finishedAt?.getTime() ?? 0);
    assert.deepEqual(
      finished,
      [...finished].sort((a, b) => a - b),
      "attempts finished in order",
    );

    // The job is complete: nothing more will be sent.
    const job = await boss.getJobById(NOTIFY_QUEUE, result.outcome === "enqueued" ? result.jobId : "");
    assert.equal(job?.state, "completed");
    const requests = bodiesFor(failedRunId);
    assert.deepEqual(
      requests.map((entry) => entry.answered),
      [500, "dropped", 200],
    );
    assert.deepEqual(
      requests.map((entry) => entry.headers["x-faultline-attempt"]),
      ["1", "2", "3"],
    );
    assert.equal(new Set(requests.map((entry) => entry.headers["x-faultline-delivery"])).size, 1);

    const payload = JSON.parse(requests[2]?.body ?? "{}") as WebhookPayload;
    assert.equal(payload.event, "run.failed");
    assert.equal(payload.run.id, failedRunId);
    assert.equal(payload.run.status, "failed");
    assert.equal(payload.run.trigger, "manual");
    assert.equal(payload.run.url, `${WEB_URL}/runs/${failedRunId}`);
    assert.equal(payload.reportUrl, `${WEB_URL}/api/v1/runs/${failedRunId}/report`);
    assert.equal(payload.verdict, "fail");
    assert.ok(
      payload.failedSlos.some((slo) => slo.target === "fp32" && slo.slo.startsWith("accuracy>=0.9")),
      `the failed accuracy SLO is named: ${JSON.stringify(payload.failedSlos)}`,
    );
    assert.equal(payload.candidate?.target, "fp32");
  });

  it("does not notify the same run twice", async () => {
    const again = await notifyRunEnded(
      failedRunId,
      options({ fallbackWebhook: { url: `${receiverUrl}/flaky`, format: "json" } }),
    );
    assert.deepEqual(again, { outcome: "skipped", reason: "already_notified", event: "run.failed" });

    // Two calls racing for a fresh run: one notification.
    const runId = await createRun("aborted", { error: "stop condition: success_rate<0.5 for 5 s" });
    const results = await Promise.all([notifyRunEnded(runId, options()), notifyRunEnded(runId, options())]);
    assert.deepEqual(results.map((result) => result.outcome).sort(), ["enqueued", "skipped"]);
    const rows = await waitFor(runId, (all) => all.some((row) => row.status === "delivered"));
    assert.equal(rows.length, 1);
    // The job is done once its row says delivered; give a stray duplicate time to show up anyway.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(bodiesFor(runId).length, 1);
    assert.equal(bodiesFor(failedRunId).length, 3);
    const payload = JSON.parse(bodiesFor(runId)[0]?.body ?? "{}") as WebhookPayload;
    assert.equal(payload.event, "run.aborted");
    assert.equal(payload.error, "stop condition: success_rate<0.5 for 5 s");
    assert.equal(payload.reportUrl, null);
  });

  it("does not notify a run that passed, is still going, or has no webhook", async () => {
    const passed = await createRun("passed");
    assert.deepEqual(await notifyRunEnded(passed, options()), {
      outcome: "skipped",
      reason: "not_notifiable",
    });
    const running = await createRun("running");
    assert.deepEqual(await notifyRunEnded(running, options()), {
      outcome: "skipped",
      reason: "not_notifiable",
    });
    const errored = await createRun("errored", { error: "worker died" });
    assert.deepEqual(await notifyRunEnded(errored, options({ fallbackWebhook: null })), {
      outcome: "skipped",
      reason: "no_webhook",
      event: "run.errored",
    });
    assert.deepEqual(await notifyRunEnded("00000000-0000-4000-8000-000000000000", options()), {
      outcome: "skipped",
      reason: "run_not_found",
    });
    for (const runId of [passed, running, errored]) {
      assert.equal((await deliveries(runId)).length, 0);
      assert.equal(bodiesFor(runId).length, 0);
    }
  });

  it("uses the schedule's Slack webhook over the global one, and never prints its secret", async () => {
    const { experimentId } = await experimentVersion();
    const slackUrl = `${receiverUrl}/services/${SLACK_SECRET}`;
    const schedule = await prisma.schedule.create({
      data: { experimentId, cron: "*/5 * * * *", webhookUrl: slackUrl, webhookFormat: "slack" },
    });
    const runId = await createRun("errored", {
      scheduleId: schedule.id,
      error: "The worker executing this run (host:1234) stopped; last heartbeat never.",
    });
    const result = await notifyRunEnded(runId, options());
    assert.equal(result.outcome, "enqueued");
    assert.equal(result.outcome === "enqueued" && result.url, `${receiverUrl}/***`);

    const rows = await waitFor(runId, (all) => all.some((row) => row.status === "delivered"));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.format, "slack");
    assert.equal(rows[0]?.scheduleId, schedule.id);
    assert.equal(rows[0]?.url, slackUrl, "the URL itself is stored");
    const requests = bodiesFor(runId);
    assert.deepEqual(
      requests.map((entry) => entry.path),
      [`/services/${SLACK_SECRET}`],
    );
    assert.equal(requests[0]?.headers["content-type"], "application/json");

    const body = JSON.parse(requests[0]?.body ?? "{}") as {
      text: string;
      blocks: Array<{
        type: string;
        text?: { type: string; text: string };
        fields?: unknown[];
        elements?: Array<{ type: string; url: string }>;
      }>;
    };
    assert.match(body.text, /^Faultline: run of notify-test v1 errored\. </);
    assert.deepEqual(
      body.blocks.map((block) => block.type),
      ["header", "section", "section", "actions"],
    );
    assert.equal(body.blocks[0]?.text?.type, "plain_text");
    assert.match(body.blocks[0]?.text?.text ?? "", /notify-test: run errored/);
    assert.ok((body.blocks[1]?.fields?.length ?? 0) >= 4);
    assert.match(body.blocks[2]?.text?.text ?? "", /^\*Error\*\nThe worker executing this run/);
    assert.deepEqual(
      body.blocks[3]?.elements?.map((button) => [button.type, button.url]),
      [["button", `${WEB_URL}/runs/${runId}`]],
    );

    const secret = SLACK_SECRET.split("/").at(-1) as string;
    assert.ok(logs.length > 0);
    for (const line of logs) assert.ok(!line.includes(secret), `a log line shows the secret: ${line}`);
  });

  it("gives up after the last retry and says so", async () => {
    const runId = await createRun("errored", { error: "boom" });
    const result = await notifyRunEnded(
      runId,
      options({
        fallbackWebhook: { url: `${receiverUrl}/down`, format: "json" },
        retry: { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: true },
      }),
    );
    assert.equal(result.outcome, "enqueued");
    const rows = await waitFor(runId, (all) => all.filter((row) => row.status === "failed").length === 2);
    assert.deepEqual(
      rows.map((row) => [row.attempt, row.status, row.responseStatus]),
      [
        [1, "failed", 503],
        [2, "failed", 503],
      ],
    );
    assert.match(rows[0]?.error ?? "", /^HTTP 503 \(will retry\)$/);
    assert.match(rows[1]?.error ?? "", /^HTTP 503 \(gave up after 2 attempts\)$/);
    const deadline = Date.now() + 10_000;
    let state: string | undefined;
    while (Date.now() < deadline) {
      state = (await boss.getJobById(NOTIFY_QUEUE, result.outcome === "enqueued" ? result.jobId : ""))?.state;
      if (state === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(state, "failed");
    assert.equal(bodiesFor(runId).length, 2);
  });
});
