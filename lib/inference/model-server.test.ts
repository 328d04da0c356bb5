// The serving policy with engines whose behaviour the test controls: degradation to the
// fallback, the breaker opening and closing, and load shedding that never falls back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { ModelManifest } from "../models/manifest";
import { ModelServer } from "./model-server";
import type { Engine, EngineOutput } from "./types";

const image = { data: new Uint8Array(3), width: 1, height: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function manifest(name: string, extra: Record<string, unknown> = {}) {
  return ModelManifest.parse({
    name,
    family: "test",
    version: "1",
    task: "ocr.line",
    engine: "test",
    ...extra,
  });
}

function engine(name: string, behaviour: () => Promise<EngineOutput>): Engine {
  return { name, infer: behaviour, close: async () => {} };
}

const answer = (text: string): Promise<EngineOutput> =>
  Promise.resolve({ answer: text, confidence: 0.9, inferMs: 1 });

describe("ModelServer", () => {
  it("answers from the requested model with its timings", async () => {
    const server = ModelServer.fromEngines([
      { manifest: manifest("a"), engine: engine("a", () => answer("hello")) },
    ]);
    const served = await server.infer("a", { image }, { decodeMs: 2 });
    assert.equal(served.answer, "hello");
    assert.equal(served.servedBy, "a");
    assert.equal(served.degraded, false);
    assert.equal(served.timings.decodeMs, 2);
    assert.ok(served.timings.totalMs >= 2);
  });

  it("degrades to the fallback when the model fails, and says so", async () => {
    const server = ModelServer.fromEngines([
      {
        manifest: manifest("a", { fallback: "b" }),
        engine: engine("a", () => Promise.reject(new Error("session crashed"))),
      },
      { manifest: manifest("b"), engine: engine("b", () => answer("from b")) },
    ]);
    const served = await server.infer("a", { image });
    assert.equal(served.answer, "from b");
    assert.equal(served.model, "a");
    assert.equal(served.servedBy, "b");
    assert.equal(served.degraded, true);
    assert.equal(served.degradedReason, "model_failure");
    const [a, b] = server.status();
    assert.equal(a?.counters.degraded, 1);
    assert.equal(b?.counters.servedAsFallback, 1);
  });

  it("degrades to the fallback when the model misses its deadline", async () => {
    const server = ModelServer.fromEngines([
      {
        manifest: manifest("a", { fallback: "b" }),
        engine: engine("a", () => sleep(200).then(() => answer("late"))),
      },
      { manifest: manifest("b"), engine: engine("b", () => answer("from b")) },
    ]);
    const served = await server.infer("a", { image }, { timeoutMs: 20 });
    assert.equal(served.servedBy, "b");
    assert.equal(served.degradedReason, "deadline_exceeded");
  });

  it("without a fallback, a failure is a 500 naming the model and a missed deadline a 504", async () => {
    const server = ModelServer.fromEngines([
      { manifest: manifest("a"), engine: engine("a", () => Promise.reject(new Error("boom"))) },
      { manifest: manifest("slow"), engine: engine("slow", () => sleep(200).then(() => answer("late"))) },
    ]);
    await assert.rejects(server.infer("a", { image }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 500);
      assert.equal(error.code, "model_failure");
      assert.match(error.message, /Model a failed: boom/);
      return true;
    });
    await assert.rejects(server.infer("slow", { image }, { timeoutMs: 20 }), (error: unknown) => {
      return error instanceof AppError && error.status === 504 && error.code === "deadline_exceeded";
    });
  });

  it("opens the breaker after repeated failures (503 with Retry-After), then serves the fallback", async () => {
    const breaker = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 };
    const server = ModelServer.fromEngines([
      {
        manifest: manifest("a", { serving: { breaker } }),
        engine: engine("a", () => Promise.reject(new Error("down"))),
      },
      {
        manifest: manifest("a2", { fallback: "b", serving: { breaker } }),
        engine: engine("a2", () => Promise.reject(new Error("down"))),
      },
      { manifest: manifest("b"), engine: engine("b", () => answer("from b")) },
    ]);
    for (let i = 0; i < 3; i += 1) await assert.rejects(server.infer("a", { image }));
    await assert.rejects(server.infer("a", { image }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, "circuit_open");
      assert.equal(error.status, 503);
      assert.deepEqual(error.details, { retryAfterSeconds: 60 });
      return true;
    });
    assert.equal(server.status().find((s) => s.name === "a")?.breaker, "open");
    for (let i = 0; i < 4; i += 1) await server.infer("a2", { image });
    const served = await server.infer("a2", { image });
    assert.equal(served.degradedReason, "circuit_open");
  });

  it("sheds load with 429 and never sends shed requests to the fallback or counts them as failures", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let fallbackCalls = 0;
    const server = ModelServer.fromEngines([
      {
        manifest: manifest("a", { fallback: "b", serving: { concurrency: 1, queueSize: 0 } }),
        engine: engine("a", () => gate.then(() => answer("a"))),
      },
      {
        manifest: manifest("b"),
        engine: engine("b", () => {
          fallbackCalls += 1;
          return answer("b");
        }),
      },
    ]);
    const first = server.infer("a", { image });
    await sleep(5);
    await assert.rejects(server.infer("a", { image }), (error: unknown) => {
      return error instanceof AppError && error.status === 429 && error.code === "overloaded";
    });
    release();
    assert.equal((await first).servedBy, "a");
    assert.equal(fallbackCalls, 0);
    const status = server.status().find((s) => s.name === "a");
    assert.equal(status?.counters.failed, 0);
    assert.equal(status?.pool?.shed, 1);
  });

  it("answers 404 for an unknown model, listing the available ones", async () => {
    const server = ModelServer.fromEngines([
      { manifest: manifest("a"), engine: engine("a", () => answer("x")) },
    ]);
    await assert.rejects(server.infer("nope", { image }), (error: unknown) => {
      return error instanceof AppError && error.status === 404 && error.code === "model_not_found";
    });
  });
});
