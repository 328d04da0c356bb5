// GET /api/metrics from the production web process, after real inference traffic (answered,
// unknown model, bad body; both inference routes), a fault, queued and aborted runs, and a halt:
// the whole body parsed by a Prometheus text-format parser, then its series checked one by one.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type PgBoss from "pg-boss";
import {
  getMetricsFromIterator,
  type PromData,
  type PromHistogramData,
  type PromMetrics,
} from "prom2javascript";
import { createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { seedDatabase } from "../db/seed";
import { projectRoot } from "../env";
import { RUN_QUEUE, startQueue } from "../scheduler/queue";
import { METRICS_CONTENT_TYPE, UNKNOWN_MODEL } from "./metrics";

const MODEL = "ppocr-v4-rec";
const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" };

let database: TestDatabase;
let web: WebServer;
let boss: PgBoss;
let png: Buffer;

const client = createApiClient(() => web.url);
const api = (method: string, route: string, body?: unknown) => client.call(method, route, body);

async function infer(model: string, body: FormData | string): Promise<number> {
  const response = await fetch(`${web.url}/api/v1/models/${model}/infer`, {
    method: "POST",
    body,
    headers: typeof body === "string" ? { "content-type": "application/json" } : {},
  });
  await response.arrayBuffer();
  return response.status;
}

async function chat(body: unknown): Promise<number> {
  const response = await fetch(`${web.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

function imageForm(): FormData {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(png)], { type: "image/png" }));
  return form;
}

function chatBody(model: string) {
  return {
    model,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "Transcribe the line." },
          { type: "image_url", image_url: { url: `data:image/png;base64,${png.toString("base64")}` } },
        ],
      },
    ],
  };
}

async function scrape(): Promise<{ text: string; metrics: PromMetrics }> {
  const response = await fetch(`${web.url}/api/metrics`, { headers: { authorization: auth.authorization } });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.equal(response.headers.get("content-type"), METRICS_CONTENT_TYPE);
  // The parser throws on any line it cannot read and on a histogram whose +Inf bucket is not its count.
  const metrics = await getMetricsFromIterator(text.split("\n")[Symbol.iterator]());
  return { text, metrics };
}

function samples(metrics: PromMetrics, name: string): PromData[] {
  return (metrics[name]?.data ?? []) as PromData[];
}

function sample(metrics: PromMetrics, name: string, labels: Record<string, string>): number | undefined {
  return samples(metrics, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_metrics" });
  await seedDatabase(database.url, { log: () => {} });
  web = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS: MODEL });
  boss = await startQueue(database.url);
  png = await readFile(path.join(projectRoot(), "datasets", "textline-v1", "images", "0001.png"));
});

after(async () => {
  await boss?.stop({ graceful: false }).catch(() => {});
  await web?.stop();
  await database?.drop();
});

describe("GET /api/metrics", () => {
  it("needs a viewer token (FAULTLINE_METRICS_AUTH defaults to token)", async () => {
    const response = await fetch(`${web.url}/api/metrics`);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { code: string } };
    assert.ok(body.error.code);
  });

  it("exposes inference requests, faults, halt, queue depth and runs in valid text format", async () => {
    // Inference traffic: answered, unknown model, bad body, on both routes.
    for (let i = 0; i < 3; i += 1) assert.equal(await infer(MODEL, imageForm()), 200);
    assert.equal(await infer("no-such-model", imageForm()), 404);
    assert.equal(await infer("another-missing-model", imageForm()), 404);
    assert.equal(await infer(MODEL, JSON.stringify({ prompt: "no image" })), 400);
    assert.equal(await chat(chatBody(MODEL)), 200);
    assert.equal(await chat("{ not json"), 400);
    assert.equal(await chat(chatBody("no-such-model")), 404);

    // One fault lease, two queued runs of which one is then aborted.
    const fault = await api("POST", "/api/v1/faults", {
      type: "latency",
      latencyMs: 10,
      ttlSeconds: 120,
      scope: { run: "metrics-test" },
    });
    assert.equal(fault.status, 201, JSON.stringify(fault.body));
    const saved = await api("POST", "/api/v1/experiments", {
      name: "metrics",
      targets: [{ name: "rec", model: MODEL, role: "candidate" }],
      dataset: { name: "textline-v1", limit: 5 },
      load: { arrival: "constant", rate: 1, maxInFlight: 1, timeoutMs: 5000, seed: 1 },
      phases: [{ name: "steady", durationSeconds: 1 }],
      hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
    });
    assert.ok(saved.status === 201 || saved.status === 200, JSON.stringify(saved.body));
    const runs: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const run = await api("POST", `/api/v1/experiments/${saved.body.experiment.id}/runs`, {});
      assert.equal(run.status, 201, JSON.stringify(run.body));
      runs.push(run.body.id);
    }
    assert.equal((await api("POST", `/api/v1/runs/${runs[1]}/abort`)).status, 200);

    const { text, metrics } = await scrape();

    // Requests by route, model and status; unknown names collapse into one label value.
    const count = (route: string, model: string, code: string) =>
      sample(metrics, "faultline_inference_requests_total", { route, model, code });
    assert.equal(metrics.faultline_inference_requests_total?.type, "counter");
    assert.equal(count("infer", MODEL, "200"), 3);
    assert.equal(count("infer", UNKNOWN_MODEL, "404"), 2);
    assert.equal(count("infer", MODEL, "400"), 1);
    assert.equal(count("chat", MODEL, "200"), 1);
    assert.equal(count("chat", UNKNOWN_MODEL, "400"), 1);
    assert.equal(count("chat", UNKNOWN_MODEL, "404"), 1);
    assert.equal(samples(metrics, "faultline_inference_requests_total").length, 6);
    assert.doesNotMatch(text, /no-such-model|another-missing-model/);

    // Latency histograms: one per counter series, buckets cumulative, +Inf equal to the count.
    const family = metrics.faultline_inference_request_duration_seconds;
    assert.equal(family?.type, "histogram");
    const histograms = (family?.data ?? []) as PromHistogramData[];
    assert.equal(histograms.length, 6);
    for (const histogram of histograms) {
      const { route, model, code } = histogram.labels as Record<string, string>;
      const bounds = Object.keys(histogram.buckets).sort((a, b) => Number(a) - Number(b));
      assert.equal(bounds.at(-1), "+Inf");
      const cumulative = bounds.map((bound) => histogram.buckets[bound] as number);
      for (let i = 1; i < cumulative.length; i += 1) {
        assert.ok(
          (cumulative[i] as number) >= (cumulative[i - 1] as number),
          `${route}/${model}/${code}: bucket le=${bounds[i]} < le=${bounds[i - 1]}`,
        );
      }
      assert.equal(histogram.buckets["+Inf"], histogram.count);
      assert.equal(histogram.count, count(route as string, model as string, code as string));
      assert.ok((histogram.sum ?? -1) > 0);
    }

    // The fault lease, the kill switch.
    assert.equal(sample(metrics, "faultline_faults_active", { type: "latency", layer: "app" }), 1);
    const activeFaults = samples(metrics, "faultline_faults_active").reduce((sum, s) => sum + s.value, 0);
    assert.equal(activeFaults, 1);
    assert.equal(sample(metrics, "faultline_chaos_halted", {}), 0);

    // Runs by status, every status present.
    assert.equal(sample(metrics, "faultline_runs", { status: "queued" }), 1);
    assert.equal(sample(metrics, "faultline_runs", { status: "aborted" }), 1);
    for (const status of ["running", "passed", "failed", "errored"]) {
      assert.equal(sample(metrics, "faultline_runs", { status }), 0, status);
    }

    // Queue depth agrees with pg-boss's own count of waiting jobs.
    const waiting = await boss.getQueueSize(RUN_QUEUE);
    assert.ok(waiting !== null && waiting >= 1);
    assert.equal(sample(metrics, "faultline_queue_depth", { queue: RUN_QUEUE }), waiting);
    assert.equal(sample(metrics, "faultline_queue_jobs", { queue: RUN_QUEUE, state: "created" }), waiting);
    assert.equal(sample(metrics, "faultline_queue_jobs", { queue: RUN_QUEUE, state: "active" }), 0);
    assert.equal(sample(metrics, "faultline_queue_depth", { queue: "schedules" }), 0);

    for (const collector of ["chaos", "runs", "queues"]) {
      assert.equal(sample(metrics, "faultline_metrics_collector_up", { collector }), 1, collector);
    }
    // Node's process metrics come with prom-client.
    assert.ok((sample(metrics, "process_cpu_user_seconds_total", {}) ?? 0) > 0);
    assert.ok((sample(metrics, "nodejs_heap_size_used_bytes", {}) ?? 0) > 0);
  });

  it("shows the halt and the faults it ended", async () => {
    assert.equal((await api("POST", "/api/v1/faults/halt")).status, 200);
    try {
      const { metrics } = await scrape();
      assert.equal(sample(metrics, "faultline_chaos_halted", {}), 1);
      const active = samples(metrics, "faultline_faults_active").reduce((sum, s) => sum + s.value, 0);
      assert.equal(active, 0);
    } finally {
      assert.equal((await api("POST", "/api/v1/faults/arm")).status, 200);
    }
    const { metrics } = await scrape();
    assert.equal(sample(metrics, "faultline_chaos_halted", {}), 0);
  });
});

describe("with FAULTLINE_INFERENCE_AUTH=token and FAULTLINE_METRICS_AUTH=off", () => {
  let locked: WebServer;
  before(async () => {
    locked = await startWebServer({
      DATABASE_URL: database.url,
      FAULTLINE_MODELS: MODEL,
      FAULTLINE_INFERENCE_AUTH: "token",
      FAULTLINE_METRICS_AUTH: "off",
    });
  });
  after(async () => {
    await locked?.stop();
  });

  it("refuses inference without a token, counts the refusals, and lets Prometheus scrape without one", async () => {
    const send = async (route: string, body: FormData | string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${locked.url}${route}`, { method: "POST", body, headers });
      await response.arrayBuffer();
      return response.status;
    };
    assert.equal(await send(`/api/v1/models/${MODEL}/infer`, imageForm()), 401);
    assert.equal(await send("/v1/chat/completions", JSON.stringify(chatBody(MODEL))), 401);
    const authorized = { authorization: auth.authorization };
    assert.equal(await send(`/api/v1/models/${MODEL}/infer`, imageForm(), authorized), 200);

    const response = await fetch(`${locked.url}/api/metrics`);
    assert.equal(response.status, 200);
    const metrics = await getMetricsFromIterator((await response.text()).split("\n")[Symbol.iterator]());
    const count = (route: string, model: string, code: string) =>
      sample(metrics, "faultline_inference_requests_total", { route, model, code });
    assert.equal(count("infer", MODEL, "401"), 1);
    assert.equal(count("infer", MODEL, "200"), 1);
    // The chat body is never read for a caller without access: its model stays unknown.
    assert.equal(count("chat", UNKNOWN_MODEL, "401"), 1);
  });
});
