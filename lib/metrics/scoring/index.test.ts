import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../errors";
import { SCORERS, ScoringTask, scoreItem } from "./index";

describe("scoreItem", () => {
  it("scores OCR lines by exact match, loose match and CER; exact decides correctness", () => {
    const spaceDropped = scoreItem("ocr.line", "TotalDue", { text: "Total Due" });
    assert.deepEqual(spaceDropped, {
      metrics: { exact: 0, exact_loose: 1, cer: 1 / 9 },
      primary: "exact",
      score: 0,
      correct: false,
    });
    const right = scoreItem("ocr.line", { answer: " Total Due " }, { text: "Total Due" });
    assert.equal(right.correct, true);
    assert.equal(right.metrics.cer, 0);
  });

  it("scores documents by line F1 and page CER, from engine lines or a newline-joined answer", () => {
    const item = { lines: [{ text: "ACME Ltd" }, { text: "Total 12.50" }] };
    const perfect = scoreItem(
      "ocr.document",
      { answer: "ignored", lines: [{ text: "Total 12.50" }, { text: "ACME Ltd" }] },
      item,
    );
    assert.equal(perfect.metrics.line_f1, 1);
    assert.equal(perfect.correct, true);
    // Same lines, other reading order: F1 does not care, page CER does.
    assert.ok((perfect.metrics.cer as number) > 0);

    const partial = scoreItem("ocr.document", "ACME Ltd\nTotal 12.5O\n", item);
    assert.equal(partial.metrics.line_f1, 0.5);
    assert.equal(partial.score, 0.5);
    assert.equal(partial.correct, false);
    assert.equal(partial.metrics.cer, 1 / "ACME Ltd\nTotal 12.50".length);

    const fromText = scoreItem("ocr.document", "a\nb", { text: "a\nb" });
    assert.equal(fromText.correct, true);
  });

  it("scores VQA with the official accuracy; correct means at least three humans agree", () => {
    const answers = ["2", "2", "2", "3", "3", "3", "3", "two", "4", "4"];
    const four = scoreItem("vqa", "Two", { answers });
    assert.equal(four.metrics.vqa_accuracy, 1);
    assert.equal(four.correct, true);
    const three = scoreItem("vqa", "3", { answers: answers.map((a) => (a === "two" ? "5" : a)) });
    assert.equal(three.correct, true);
    const two = scoreItem("vqa", "4", { answers });
    assert.ok(Math.abs(two.score - 0.6) < 1e-12);
    assert.equal(two.correct, false);
    assert.equal(scoreItem("vqa", "paris", { answers: ["Paris"] }).correct, true);
  });

  it("reports exactly the metrics each scorer declares", () => {
    const items = { "ocr.line": { text: "x" }, "ocr.document": { text: "x" }, vqa: { answers: ["x"] } };
    for (const task of ScoringTask.options) {
      const result = scoreItem(task, "x", items[task]);
      assert.deepEqual(Object.keys(result.metrics).sort(), [...SCORERS[task].metrics].sort());
      assert.equal(result.primary, SCORERS[task].primary);
    }
  });

  it("rejects items missing the task's reference, and unknown tasks", () => {
    const invalid = (error: unknown) => error instanceof AppError && error.code === "invalid_item";
    assert.throws(() => scoreItem("ocr.line", "x", { answers: ["x"] }), invalid);
    assert.throws(() => scoreItem("ocr.document", "x", {}), invalid);
    assert.throws(() => scoreItem("vqa", "x", { text: "x" }), invalid);
    assert.throws(
      () => scoreItem("caption" as ScoringTask, "x", {}),
      (error: unknown) => error instanceof AppError && error.code === "unknown_task",
    );
  });
});
