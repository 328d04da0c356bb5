import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExperimentSpec } from "../experiments/spec";
import { faultsAlike } from "./report";

const spec = parseExperimentSpec({
  name: "alike",
  targets: [
    { name: "fp32", model: "ppocr-v4-rec", role: "candidate" },
    { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline" },
  ],
  dataset: { name: "textline-v1" },
  load: { arrival: "constant", rate: 5, maxInFlight: 8, timeoutMs: 2000, seed: 1 },
  phases: [
    { name: "steady", durationSeconds: 5 },
    { name: "everyone", durationSeconds: 5, faults: [{ type: "latency", latencyMs: 100 }] },
    {
      name: "fp32-link",
      durationSeconds: 5,
      faults: [{ type: "network", proxy: "fp32", toxic: { type: "latency", attributes: { latency: 100 } } }],
    },
    {
      name: "both-links",
      durationSeconds: 5,
      faults: [
        { type: "network", proxy: "fp32", toxic: { type: "latency", attributes: { latency: 100 } } },
        { type: "network", proxy: "int8", toxic: { type: "latency", attributes: { latency: 100 } } },
      ],
    },
    { name: "int8-only", durationSeconds: 5, faults: [{ type: "error", status: 503, model: "int8" }] },
  ],
  hypothesis: [{ phase: "*", slos: ["success_rate>=0.9"] }],
});

describe("faultsAlike", () => {
  it("compares two targets only in phases whose faults reach both the same way", () => {
    const alike = spec.phases.map((phase) => [phase.name, faultsAlike(spec, phase.name, "fp32", "int8")]);
    assert.deepEqual(alike, [
      ["steady", true],
      ["everyone", true],
      ["fp32-link", false],
      ["both-links", true],
      ["int8-only", false],
    ]);
  });
});
