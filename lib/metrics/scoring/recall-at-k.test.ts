import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../../kernel/errors";
import { hitAtK, recallAtK } from "./recall-at-k";

describe("recallAtK and hitAtK", () => {
  const ranked = ["img-4", "img-1", "img-9", "img-2", "img-7"];

  it("counts the relevant ids found in the top k", () => {
    assert.equal(recallAtK(ranked, ["img-1", "img-2"], 1), 0);
    assert.equal(recallAtK(ranked, ["img-1", "img-2"], 2), 0.5);
    assert.equal(recallAtK(ranked, ["img-1", "img-2"], 4), 1);
    assert.equal(recallAtK(ranked, ["img-1", "img-2"], 50), 1);
    assert.equal(recallAtK([3, 3, 5], [3, 8], 2), 0.5);
    assert.equal(recallAtK(ranked, ["img-1", "img-1"], 2), 1);
  });

  it("reports a hit when any relevant id is in the top k", () => {
    assert.equal(hitAtK(ranked, ["img-9", "img-7"], 2), 0);
    assert.equal(hitAtK(ranked, ["img-9", "img-7"], 3), 1);
  });

  it("rejects a k below 1 and an empty relevant set", () => {
    for (const k of [0, -1, 1.5]) {
      assert.throws(
        () => recallAtK(ranked, ["img-1"], k),
        (error: unknown) => error instanceof AppError,
      );
    }
    assert.throws(
      () => recallAtK(ranked, [], 3),
      (error: unknown) => error instanceof AppError && error.code === "invalid_item",
    );
  });
});
