// The inference API over real HTTP against the production server with real models: the three
// request forms, the OpenAI-compatible endpoint, load shedding, deadlines and degradation to a
// fallback, and the catalog. Models come from a manifests folder written for the test, pointing
// at the real artifacts with serving limits chosen to provoke each behaviour.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { makeScratchDir } from "../../testing/scratch-dir";
import { startWebServer, type WebServer } from "../../testing/web-server";
import { seedDatabase } from "../db/seed";

const root = process.cwd();
const assets = path.join(root, "node_modules", "@gutenye", "ocr-models", "assets");
const rec = (extra: object) => ({
  family: "ppocr-v4",
  version: "4.0",
  task: "ocr.line",
  engine: "ppocr-rec",
  artifact: path.join(assets, "ch_PP-OCRv4_rec_infer.onnx"),
  params: { dictionary: path.join(assets, "ppocr_keys_v1.txt") },
  ...extra,
});
const MANIFESTS: Record<string, object> = {
  rec: rec({ role: "candidate", fallback: "tess" }),
  "rec-tight": rec({ serving: { concurrency: 1, queueSize: 0 } }),
  "rec-deadline": rec({ fallback: "tess", serving: { timeoutMs: 1 } }),
  "rec-deadline-alone": rec({ serving: { timeoutMs: 1 } }),
  tess: {
    family: "tesseract",
    version: "5",
    task: "ocr.line",
    engine: "tesseract",
    params: { mode: "line" },
  },
};

const labels = readFileSync(path.join(root, "datasets", "textline-v1", "labels.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { image: string; text: string });
const first = labels[0] as { image: string; text: string };
const loose = (text: string) => text.toLowerCase().replace(/\s+/g, "");

interface Answer {
  model: string;
  task: string;
  answer: string;
  confidence: number;
  servedBy: string;
  degraded: boolean;
  degradedReason?: string;
  timings: { queueMs: number; decodeMs: number; inferMs: number; totalMs: number };
}

describe("inference API", () => {
  let database: TestDatabase;
  let modelsDir: string;
  let server: WebServer;
  let png: Buffer;

  before(async () => {
    modelsDir = await makeScratchDir("faultline-api-models");
    for (const [name, manifest] of Object.entries(MANIFESTS)) {
      await mkdir(path.join(modelsDir, name));
      await writeFile(path.join(modelsDir, name, "manifest.json"), JSON.stringify({ name, ...manifest }));
    }
    database = await createTestDatabase({ prefix: "faultline_api" });
    await seedDatabase(database.url, { modelsDir });
    server = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS_DIR: modelsDir });
    png = await readFile(path.join(root, "datasets", "textline-v1", first.image));
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
    await rm(modelsDir, { recursive: true, force: true });
  });

  const multipart = (image: Buffer, prompt?: string) => {
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(image)], { type: "image/png" }), "line.png");
    if (prompt) form.append("prompt", prompt);
    return form;
  };
  const post = (model: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/models/${model}/infer`, { method: "POST", body, headers });

  it("reads a text line sent as multipart, with the answer's shape and timings", async () => {
    const response = await post("rec", multipart(png, "What does it say?"));
    assert.equal(response.status, 200);
    const body = (await response.json()) as Answer;
    assert.equal(body.model, "rec");
    assert.equal(body.task, "ocr.line");
    assert.equal(loose(body.answer), loose(first.text));
    assert.equal(body.servedBy, "rec");
    assert.equal(body.degraded, false);
    assert.ok(body.confidence > 0.5 && body.confidence <= 1);
    for (const key of ["queueMs", "decodeMs", "inferMs", "totalMs"] as const)
      assert.ok(body.timings[key] >= 0, key);
    assert.ok(body.timings.totalMs >= body.timings.inferMs);
  });

  it("gives the same answer for base64 JSON, a data URL and the OpenAI-compatible endpoint", async () => {
    const multipartAnswer = ((await (await post("rec", multipart(png))).json()) as Answer).answer;
    const base64 = await post("rec", JSON.stringify({ image: png.toString("base64") }), {
      "content-type": "application/json",
    });
    const dataUrl = await post(
      "rec",
      JSON.stringify({ image: `data:image/png;base64,${png.toString("base64")}` }),
      {
        "content-type": "application/json",
      },
    );
    assert.equal(((await base64.json()) as Answer).answer, multipartAnswer);
    assert.equal(((await dataUrl.json()) as Answer).answer, multipartAnswer);

    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "rec",
        messages: [
          { role: "system", content: "You read text." },
          {
            role: "user",
            content: [
              { type: "text", text: "Transcribe the line." },
              { type: "image_url", image_url: { url: `data:image/png;base64,${png.toString("base64")}` } },
            ],
          },
        ],
      }),
    });
    assert.equal(chat.status, 200);
    const completion = (await chat.json()) as {
      object: string;
      model: string;
      choices: Array<{ message: { role: string; content: string }; finish_reason: string }>;
      faultline: { servedBy: string };
    };
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.choices[0]?.message.role, "assistant");
    assert.equal(completion.choices[0]?.message.content, multipartAnswer);
    assert.equal(completion.faultline.servedBy, "rec");
  });

  it("sheds load with 429 and Retry-After when a model's queue is full", async () => {
    const responses = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const response = await post("rec-tight", multipart(png));
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          body: await response.text(),
        };
      }),
    );
    const statuses = responses.map((response) => response.status);
    const unexpected = responses.filter((response) => response.status !== 200 && response.status !== 429);
    assert.deepEqual(unexpected, [], `statuses ${statuses}`);
    assert.ok(statuses.includes(200), `statuses ${statuses}`);
    const shed = responses.find((response) => response.status === 429);
    assert.ok(shed, `statuses ${statuses}`);
    assert.match(shed.retryAfter ?? "", /^\d+$/);
    assert.equal((JSON.parse(shed.body) as { error: { code: string } }).error.code, "overloaded");
  });

  it("answers from the fallback, marked degraded, when the model misses its deadline", async () => {
    const response = await post("rec-deadline", multipart(png));
    assert.equal(response.status, 200);
    const body = (await response.json()) as Answer;
    assert.equal(body.model, "rec-deadline");
    assert.equal(body.servedBy, "tess");
    assert.equal(body.degraded, true);
    assert.equal(body.degradedReason, "deadline_exceeded");
    assert.equal(loose(body.answer), loose(first.text));
  });

  it("answers 504 when a model without a fallback misses its deadline", async () => {
    const response = await post("rec-deadline-alone", multipart(png));
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "deadline_exceeded");
  });

  it("takes a per-request deadline from x-request-timeout-ms, over the model's default", async () => {
    const relaxed = await post("rec-deadline-alone", multipart(png), { "x-request-timeout-ms": "30000" });
    assert.equal(relaxed.status, 200);
    const invalid = await post("rec", multipart(png), { "x-request-timeout-ms": "forever" });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, "invalid_timeout");
  });

  it("lists the models with their serving state, and shows one with its counters", async () => {
    const list = (await (await fetch(`${server.url}/api/v1/models`)).json()) as {
      models: Array<{ name: string; role: string; serving: { state: string; breaker: string } | null }>;
    };
    assert.deepEqual(list.models.map((model) => model.name).sort(), Object.keys(MANIFESTS).sort());
    assert.ok(list.models.every((model) => model.serving?.state === "loaded"));
    assert.equal(list.models.find((model) => model.name === "rec")?.role, "candidate");

    const detail = (await (await fetch(`${server.url}/api/v1/models/rec-deadline`)).json()) as {
      serving: { counters: { degraded: number }; fallback: string; breaker: string };
    };
    assert.equal(detail.serving.fallback, "tess");
    assert.ok(detail.serving.counters.degraded >= 1);

    const missing = await fetch(`${server.url}/api/v1/models/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, "model_not_found");
  });

  it("is ready with every model loaded", async () => {
    const ready = (await (await fetch(`${server.url}/api/ready`)).json()) as {
      status: string;
      checks: Array<{ name: string; ok: boolean; detail: string }>;
    };
    assert.equal(ready.status, "ready");
    assert.equal(ready.checks.find((check) => check.name === "models")?.detail, "5 loaded");
  });
});
