import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { percentile } from "../../lib/metrics/percentile";
import { type Cell, emptyCell } from "./run-eval";
import { type CellSummary, corruptionErrors, summariseCell } from "./summary";

function cell(overrides: Partial<Cell>): Cell {
  return { ...emptyCell("m", "clean", 0), ...overrides };
}

const summary = (model: string, corruption: string, severity: number, accuracy: number): CellSummary => ({
  model,
  corruption,
  severity,
  items: 100,
  errors: 0,
  correct: accuracy * 100,
  correctLoose: accuracy * 100,
  accuracy,
  accuracyLoose: accuracy,
  cer: 0,
  metrics: {},
  p50Ms: 0,
  p99Ms: 0,
});

describe("summariseCell", () => {
  it("computes accuracy, the corpus CER and latency percentiles", () => {
    const s = summariseCell(
      cell({
        items: 4,
        correct: 3,
        correctLoose: 4,
        editDistance: 2,
        referenceChars: 40,
        metricSums: { exact: 3, cer: 0.2 },
        latenciesMs: [10, 20, 30, 100],
      }),
    );
    assert.equal(s.accuracy, 0.75);
    assert.equal(s.accuracyLoose, 1);
    assert.equal(s.cer, 0.05);
    assert.deepEqual(s.metrics, { exact: 0.75, cer: 0.05 });
    assert.equal(s.p50Ms, 20);
    assert.equal(s.p99Ms, 100);
  });

  it("takes exact percentiles by rank", () => {
    assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
    assert.equal(percentile([], 99), 0);
  });
});

describe("corruptionErrors", () => {
  const summaries = [
    summary("base", "clean", 0, 0.9),
    summary("base", "blur", 1, 0.8),
    summary("base", "blur", 2, 0.6),
    summary("cand", "clean", 0, 0.95),
    summary("cand", "blur", 1, 0.9),
    summary("cand", "blur", 2, 0.75),
  ];

  it("is 1 for the baseline against itself", () => {
    const errors = corruptionErrors(summaries, "base", "base");
    assert.equal(errors.mCE, 1);
    assert.equal(errors.relativeMCE, 1);
  });

  it("compares summed errors (CE) and degradation from clean (relative CE)", () => {
    const errors = corruptionErrors(summaries, "cand", "base");
    // CE = (0.10 + 0.25) / (0.20 + 0.40)
    assert.ok(Math.abs((errors.ce.blur ?? 0) - 0.35 / 0.6) < 1e-9);
    // relative = ((0.10-0.05) + (0.25-0.05)) / ((0.20-0.10) + (0.40-0.10))
    assert.ok(Math.abs((errors.relativeCe.blur ?? 0) - 0.25 / 0.4) < 1e-9);
  });

  it("leaves the ratio undefined when the baseline never errs", () => {
    const perfect = [
      summary("base", "clean", 0, 1),
      summary("base", "jpeg", 1, 1),
      summary("cand", "clean", 0, 1),
      summary("cand", "jpeg", 1, 0.9),
    ];
    assert.equal(corruptionErrors(perfect, "cand", "base").mCE, null);
  });
});
