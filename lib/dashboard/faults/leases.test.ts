// The overview's fault list: what a lease hits, its parameters in one line, and the time it has left.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FaultJson } from "../../chaos/control";
import { formatSecondsLeft, secondsLeft, summariseFault } from "./leases";

function fault(overrides: Partial<FaultJson> = {}): FaultJson {
  return {
    id: "0b7c9f6e-0000-4000-8000-000000000001",
    type: "latency",
    params: { latencyMs: 200, jitterMs: 50, distribution: "uniform" },
    probability: 1,
    scope: { all: true },
    model: null,
    seed: null,
    actor: "admin",
    createdAt: "2026-11-29T10:00:00.000Z",
    expiresAt: "2026-11-29T10:01:00.000Z",
    ...overrides,
  };
}

describe("summariseFault", () => {
  it("says an app fault hits all traffic and lists its parameters", () => {
    const view = summariseFault(fault());
    assert.equal(view.layer, "app");
    assert.equal(view.runId, null);
    assert.equal(view.scope, "all traffic");
    assert.equal(view.params, "latencyMs 200, jitterMs 50, distribution uniform");
    assert.equal(view.startedAt, "2026-11-29T10:00:00.000Z");
    assert.equal(view.expiresAt, "2026-11-29T10:01:00.000Z");
  });

  it("names the run and the model a lease is scoped to, and a probability below 1", () => {
    const view = summariseFault(
      fault({
        type: "error",
        params: { status: 503 },
        scope: { run: "run-1" },
        model: "ppocr",
        probability: 0.25,
      }),
    );
    assert.equal(view.runId, "run-1");
    assert.equal(view.scope, "run run-1 · model ppocr");
    assert.equal(view.params, "status 503, p 0.25");
  });

  it("reads a network fault as its toxic on its proxy", () => {
    const view = summariseFault(
      fault({
        type: "network",
        params: {
          proxy: "fp32",
          toxic: {
            type: "latency",
            stream: "downstream",
            toxicity: 1,
            attributes: { latency: 100, jitter: 20 },
          },
        },
      }),
    );
    assert.equal(view.layer, "network");
    assert.equal(view.params, "latency downstream on proxy fp32 (latency 100, jitter 20)");
  });
});

describe("secondsLeft and formatSecondsLeft", () => {
  const now = Date.parse("2026-11-29T10:00:00.000Z");
  it("rounds up and never goes below 0", () => {
    assert.equal(secondsLeft("2026-11-29T10:00:00.200Z", now), 1);
    assert.equal(secondsLeft("2026-11-29T09:59:00.000Z", now), 0);
  });
  it("reads in seconds, minutes or hours", () => {
    assert.equal(formatSecondsLeft(0), "expiring");
    assert.equal(formatSecondsLeft(42), "42 s");
    assert.equal(formatSecondsLeft(120), "2 min");
    assert.equal(formatSecondsLeft(130), "2 min 10 s");
    assert.equal(formatSecondsLeft(3 * 3600 + 300), "3 h 5 min");
  });
});
