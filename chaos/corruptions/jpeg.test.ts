import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { jpeg, SEVERITY } from "./jpeg";
import { itKeepsTheCorruptionContract, meanAbsoluteDifference, textLineImage } from "./test-support";

describe("jpeg", () => {
  itKeepsTheCorruptionContract({
    corruption: jpeg,
    random: false,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("encodes at strictly falling quality", () => {
    for (let i = 1; i < SEVERITY.length; i += 1) {
      assert.ok((SEVERITY[i] as number) < (SEVERITY[i - 1] as number));
    }
  });

  it("keeps a text line recognisable at severity 1: the error stays small", async () => {
    const line = textLineImage();
    const mild = await jpeg(line, 1, createRandom(1));
    assert.ok(meanAbsoluteDifference(line, mild) < 10);
    assert.ok(meanAbsoluteDifference(line, mild) > 0);
  });
});
