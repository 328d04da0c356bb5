import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CORRECT_WHEN, cerTexts, ScoringTask, scoreFailedRequest, scoreItem } from "./index";

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

describe("scoreItem", () => {
  it("scores OCR lines by exact match; loose match and CER are reported beside it", () => {
    const item = { task: "ocr.line", text: "Total Due" } as const;
    assert.deepEqual(scoreItem(item, "TotalDue"), { correct: false, cer: 1 / 9, correctLoose: true });
    assert.deepEqual(scoreItem(item, " Total Due \n"), { correct: true, cer: 0, correctLoose: true });
    assert.equal(scoreItem({ task: "ocr.line" }, "x"), undefined);
  });

  it("scores a page right only when every line is read exactly (line F1 = 1)", () => {
    const item = { task: "ocr.document", lines: [{ text: "ACME Ltd" }, { text: "Total 12.50" }] } as const;
    // Other reading order, blank lines and spacing noise: still fully right; the page CER sees the order.
    const reordered = scoreItem(item, "Total 12.50\n\n  ACME   Ltd ");
    assert.equal(reordered?.correct, true);
    assert.equal(reordered?.lineF1, 1);
    assert.ok((reordered?.cer ?? 0) > 0);

    const partial = scoreItem(item, "ACME Ltd\nTotal 12.5O\n");
    assert.equal(partial?.correct, false);
    assert.equal(partial?.lineF1, 0.5);
    assert.equal(partial?.cer, 1 / "ACME Ltd\nTotal 12.50".length);

    // The same words with the line break elsewhere: no line is right.
    const resplit = scoreItem(item, "ACME Ltd Total\n12.50");
    assert.deepEqual(resplit, { correct: false, lineF1: 0, cer: 2 / "ACME Ltd\nTotal 12.50".length });
    assert.equal(scoreItem({ task: "ocr.document", text: "a\nb" }, "a\nb")?.correct, true);
    assert.equal(scoreItem({ task: "ocr.document" }, "a"), undefined);
  });

  it("scores VQA as min(humans / 3, 1); correct means full credit, at least three humans", () => {
    const answers = ["2", "2", "3", "3", "3", "4", "4", "4", "two", "5"];
    assert.deepEqual(scoreItem({ task: "vqa", answers }, "Two"), { correct: true, vqaAccuracy: 1 });
    assert.deepEqual(scoreItem({ task: "vqa", answers }, "3"), { correct: true, vqaAccuracy: 1 });
    const two = scoreItem({ task: "vqa", answers }, "5.");
    close(two?.vqaAccuracy, 1 / 3);
    const twoOfTen = scoreItem({ task: "vqa", answers: [...answers.slice(2), "6", "6"] }, "6");
    close(twoOfTen?.vqaAccuracy, 2 / 3);
    assert.equal(twoOfTen?.correct, false);
    // Fewer than three humans: all of them must agree.
    assert.deepEqual(scoreItem({ task: "vqa", answers: ["Paris"] }, "paris"), {
      correct: true,
      vqaAccuracy: 1,
    });
    assert.equal(scoreItem({ task: "vqa", answers: ["yes", "no"] }, "yes")?.correct, false);
    assert.equal(scoreItem({ task: "vqa", answers: [] }, "x"), undefined);
    assert.equal(scoreItem({ task: "vqa" }, "x"), undefined);
  });

  it("says how correct is decided for every task", () => {
    for (const task of ScoringTask.options) assert.ok(CORRECT_WHEN[task].length > 0);
  });
});

describe("scoreFailedRequest", () => {
  it("is wrong, with the scores of an empty answer", () => {
    assert.deepEqual(scoreFailedRequest({ task: "ocr.line", text: "abc" }), {
      correct: false,
      cer: 1,
      correctLoose: false,
    });
    assert.deepEqual(scoreFailedRequest({ task: "ocr.document", lines: [{ text: "a" }] }), {
      correct: false,
      cer: 1,
      lineF1: 0,
    });
    // Even where humans left the answer blank, no answer earns no credit.
    assert.deepEqual(scoreFailedRequest({ task: "vqa", answers: ["", "", ""] }), {
      correct: false,
      vqaAccuracy: 0,
    });
    assert.equal(scoreFailedRequest({ task: "vqa", answers: [] }), undefined);
  });
});

describe("cerTexts", () => {
  it("gives the texts the CER compares, so corpus CER pools the same distances", () => {
    assert.deepEqual(cerTexts({ task: "ocr.line", text: " ab " }, "ab\n"), {
      prediction: "ab",
      reference: "ab",
    });
    assert.deepEqual(
      cerTexts({ task: "ocr.document", lines: [{ text: "a  b" }, { text: "c" }] }, "a b\n\nc"),
      {
        prediction: "a b\nc",
        reference: "a b\nc",
      },
    );
    assert.equal(cerTexts({ task: "vqa", answers: ["x"] }, "x"), undefined);
  });
});
