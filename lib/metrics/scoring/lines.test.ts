import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineScore, normaliseLine } from "./lines";

describe("lineScore", () => {
  it("is perfect for the same lines in any order", () => {
    const score = lineScore(["Total: 12", "ACME Ltd", "Date 3/4"], ["ACME Ltd", "Date 3/4", "Total: 12"]);
    assert.deepEqual(score, { precision: 1, recall: 1, f1: 1, matched: 3, predicted: 3, reference: 3 });
  });

  it("counts matches one to one", () => {
    const score = lineScore(["a", "b", "c"], ["a", "b", "d", "e"]);
    assert.equal(score.matched, 2);
    assert.equal(score.precision, 2 / 3);
    assert.equal(score.recall, 2 / 4);
    assert.ok(Math.abs(score.f1 - 4 / 7) < 1e-12);

    // A duplicated prediction can claim its reference line only once.
    const duplicated = lineScore(["x", "x"], ["x"]);
    assert.equal(duplicated.matched, 1);
    assert.equal(duplicated.precision, 0.5);
    assert.equal(duplicated.recall, 1);
    assert.ok(Math.abs(duplicated.f1 - 2 / 3) < 1e-12);
  });

  it("normalises spacing and ignores blank lines on both sides", () => {
    assert.equal(normaliseLine("  hello \t  world "), "hello world");
    const score = lineScore(["  hello   world ", "", "   "], ["hello world", ""]);
    assert.deepEqual(score, { precision: 1, recall: 1, f1: 1, matched: 1, predicted: 1, reference: 1 });
  });

  it("scores empty pages: nothing for nothing is perfect, one side empty is zero", () => {
    assert.equal(lineScore([], []).f1, 1);
    assert.deepEqual(lineScore([], ["a"]), {
      precision: 0,
      recall: 0,
      f1: 0,
      matched: 0,
      predicted: 0,
      reference: 1,
    });
    assert.deepEqual(lineScore(["a"], []), {
      precision: 0,
      recall: 0,
      f1: 0,
      matched: 0,
      predicted: 1,
      reference: 0,
    });
  });

  it("accepts near misses under a CER threshold, and not under exact", () => {
    const predicted = ["hel1o world", "Invoice 2024-03", "completely different"];
    const reference = ["hello world", "Invoice 2024-08", "Total"];
    assert.equal(lineScore(predicted, reference).matched, 0);
    assert.equal(lineScore(predicted, reference, { kind: "cer", maxCer: 0.1 }).matched, 2);
    assert.equal(lineScore(predicted, reference, { kind: "cer", maxCer: 0 }).matched, 0);
  });

  it("finds the largest pairing where greedy lowest-CER pairing would stop short", () => {
    const base = "abcdefghijklmnopqrst";
    const p0 = base;
    const p1 = `X${base.slice(1)}`; // CER 0.05 against base
    const r0 = base;
    const r1 = `${base.slice(0, 19)}Y`; // CER 0.05 against p0, 0.10 against p1
    // Greedy takes (p0, r0) at CER 0 and strands both p1 and r1; the optimum is p0–r1, p1–r0.
    const score = lineScore([p0, p1], [r0, r1], { kind: "cer", maxCer: 0.06 });
    assert.equal(score.matched, 2);
    assert.equal(score.f1, 1);
  });
});
