// Accuracy-vs-severity curves from a run's phases, and latency percentile curves from histograms.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeRun, phaseRow } from "../../../testing/compare-fixtures";
import { createHistogram, encodeHistogram, recordLatencyMs } from "../../metrics/histogram";
import { prepareEntries } from "./core";
import { ninesOf, placePhase, preparePercentileCurves, prepareSeverityCurves } from "./curves";

const blur = (severity: number) => ({ type: "corrupt_input", corruption: "gaussian_blur", severity });

const sweep = () =>
  makeRun({
    targets: [{ name: "fp32", role: "candidate" }, { name: "int8" }],
    phases: [
      { name: "warmup", counts: false, faults: [blur(5)] },
      { name: "clean", counts: true, faults: [] },
      { name: "blur-1", counts: true, faults: [blur(1)] },
      { name: "blur-3", counts: true, faults: [blur(3)] },
      {
        name: "noise-2",
        counts: true,
        faults: [{ type: "corrupt_input", corruption: "gaussian_noise", severity: 2 }],
      },
      { name: "outage", counts: true, faults: [{ type: "network" }] },
    ],
    phaseRows: [
      phaseRow("warmup", "fp32", 0.1),
      phaseRow("warmup", "int8", 0.1),
      phaseRow("clean", "fp32", 1),
      phaseRow("clean", "int8", 0.97),
      phaseRow("blur-1", "fp32", 0.95),
      phaseRow("blur-1", "int8", 0.9),
      phaseRow("blur-3", "fp32", 0.8),
      phaseRow("blur-3", "int8", null),
      phaseRow("noise-2", "fp32", 0.7),
      phaseRow("noise-2", "int8", 0.6),
      phaseRow("outage", "fp32", 0.2),
      phaseRow("outage", "int8", 0.2),
    ],
  });

describe("prepareSeverityCurves", () => {
  it("gives one curve per corruption, the clean phase at severity 0, warm-up and other faults left out", () => {
    const run = sweep();
    const { curves } = prepareSeverityCurves([run], prepareEntries([run], null));
    assert.deepEqual(
      curves.map((curve) => curve.corruption),
      ["gaussian_blur", "gaussian_noise"],
    );
    const blurCurve = curves[0];
    assert.deepEqual(
      blurCurve?.points.map((point) => point.severity),
      [0, 1, 3],
    );
    assert.deepEqual(blurCurve?.points[0]?.values, { "1:fp32": 1, "1:int8": 0.97 });
    assert.deepEqual(blurCurve?.points[0]?.phases, ["clean"]);
    assert.equal(blurCurve?.points[2]?.values["1:int8"], null, "nothing scored is a gap, not a zero");
    assert.deepEqual(
      curves[1]?.points.map((point) => [point.severity, point.values["1:fp32"]]),
      [
        [0, 1],
        [2, 0.7],
      ],
    );
  });

  it("returns no curve for a run without corruption phases", () => {
    const run = makeRun({
      targets: [{ name: "a", role: "candidate" }],
      phases: [
        { name: "steady", counts: true, faults: [] },
        { name: "latency", counts: true, faults: [{ type: "network" }] },
      ],
      phaseRows: [phaseRow("steady", "a", 1), phaseRow("latency", "a", 1)],
    });
    assert.deepEqual(prepareSeverityCurves([run], prepareEntries([run], null)).curves, []);
  });

  it("pools two phases at one severity by their requests, and notes partial corruption", () => {
    const run = makeRun({
      targets: [{ name: "a", role: "candidate" }],
      phases: [
        { name: "clean", counts: true, faults: [] },
        { name: "blur-2a", counts: true, faults: [{ ...blur(2), probability: 0.5 }] },
        { name: "blur-2b", counts: true, faults: [blur(2)] },
      ],
      phaseRows: [
        phaseRow("clean", "a", 1),
        phaseRow("blur-2a", "a", 0.9, { requests: 10 }),
        phaseRow("blur-2b", "a", 0.5, { requests: 30 }),
      ],
    });
    const { curves, notes } = prepareSeverityCurves([run], prepareEntries([run], null));
    const point = curves[0]?.points[1];
    assert.ok(Math.abs((point?.values["1:a"] as number) - 0.6) < 1e-12);
    assert.deepEqual(point?.phases, ["blur-2a", "blur-2b"]);
    assert.ok(notes.some((note) => note.includes("blur-2a") && note.includes("probability")));
  });

  it("places a corruption restricted to one model only on that model's curve", () => {
    const phase = { name: "p", counts: true, faults: [{ ...blur(4), model: "int8" }] };
    assert.deepEqual(placePhase(phase, "int8"), {
      kind: "corrupt",
      corruption: "gaussian_blur",
      severity: 4,
    });
    assert.deepEqual(placePhase(phase, "fp32"), { kind: "clean" });
    assert.equal(
      placePhase({ name: "q", counts: true, faults: [blur(1), { ...blur(2), corruption: "jpeg" }] }, "a"),
      null,
    );
  });
});

describe("preparePercentileCurves", () => {
  const bytes = (values: number[]) => {
    const histogram = createHistogram();
    for (const value of values) recordLatencyMs(histogram, value);
    return encodeHistogram(histogram);
  };

  it("merges the windows of the phases that count and reads the nines", () => {
    const fast = Array.from({ length: 1000 }, (_, index) => (index < 990 ? 10 : 100));
    const curves = preparePercentileCurves([
      {
        key: "1:a",
        countedPhases: ["steady"],
        windows: [
          { phase: "warmup", histogram: bytes([5000, 5000, 5000]) },
          { phase: "steady", histogram: bytes(fast.slice(0, 500)) },
          { phase: "steady", histogram: bytes(fast.slice(500)) },
        ],
      },
      { key: "1:b", countedPhases: ["steady"], windows: [] },
    ]);
    assert.equal(curves.counts["1:a"], 1000, "the warm-up's windows are left out");
    const at = (percentile: number) => curves.points.find((point) => point.percentile === percentile);
    assert.ok(Math.abs((at(50)?.values["1:a"] as number) - 10) < 0.05);
    assert.ok(Math.abs((at(99.9)?.values["1:a"] as number) - 100) < 0.1);
    assert.ok((at(99.99)?.values["1:a"] as number) < 1000, "the warm-up's 5 s never show");
    assert.equal(at(50)?.values["1:b"], null, "nothing recorded is a gap");
    assert.equal(curves.resolvedUpTo["1:a"], 99.9, "1000 requests resolve up to p99.9");
    assert.equal(curves.resolvedUpTo["1:b"], null);
  });

  it("spaces the percentiles one nine apart", () => {
    assert.ok(Math.abs(ninesOf(90) - 1) < 1e-12);
    assert.ok(Math.abs(ninesOf(99.9) - 3) < 1e-9);
    assert.ok(Math.abs(ninesOf(50) - Math.log10(2)) < 1e-12);
  });
});
