import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../../kernel/errors";
import {
  normaliseVqaAnswer,
  processDigitArticle,
  processPunctuation,
  vqaAccuracy,
  vqaAccuracySimple,
  vqaMatches,
} from "./vqa";

/** Ten human answers, `agreeing` of them "2" and the rest spread over other answers. */
const tenAnswers = (agreeing: number) => [
  ...Array.from({ length: agreeing }, () => "2"),
  ...["3", "4", "1", "5", "3", "4", "many", "3", "4", "6"].slice(0, 10 - agreeing),
];

describe("VQA answer normalisation (official script)", () => {
  it("maps number words to digits, drops articles and restores contractions", () => {
    assert.equal(normaliseVqaAnswer("Two"), "2");
    assert.equal(normaliseVqaAnswer("none"), "0");
    assert.equal(normaliseVqaAnswer("The red car"), "red car");
    assert.equal(normaliseVqaAnswer("an apple"), "apple");
    assert.equal(normaliseVqaAnswer("dont"), "don't");
    assert.equal(normaliseVqaAnswer("couldn'tve"), "couldn't've");
    assert.equal(normaliseVqaAnswer("somebody'd"), "somebodyd");
    // Capitalised keys are unreachable: words are lower-cased before the lookup.
    assert.equal(normaliseVqaAnswer("Im"), "im");
  });

  it("handles punctuation the way the script does, quirks included", () => {
    assert.equal(normaliseVqaAnswer("yes!"), "yes");
    assert.equal(normaliseVqaAnswer("cat."), "cat");
    assert.equal(normaliseVqaAnswer("3.5"), "3.5");
    assert.equal(normaliseVqaAnswer("u.s.a."), "usa");
    // The comma-between-digits rule: any digit,digit deletes every mark instead of spacing it.
    assert.equal(normaliseVqaAnswer("1,000"), "1000");
    assert.equal(normaliseVqaAnswer("1,000 (approx)"), "1000 approx");
    // A mark touching a space anywhere is deleted everywhere; otherwise it becomes a space.
    assert.equal(processPunctuation("t-shirt"), "t shirt");
    assert.equal(processPunctuation("t-shirt - red"), "tshirt  red");
    assert.equal(normaliseVqaAnswer("left/right"), "left right");
    assert.equal(normaliseVqaAnswer("  black\tand\nwhite "), "black and white");
    // Python's sub(…, re.UNICODE) passes 32 as a count: only the first 32 periods go.
    assert.equal(normaliseVqaAnswer("a.".repeat(40)), "a".repeat(32) + "a.".repeat(8));
  });

  it("keeps apostrophes and colons, which are not in the script's punctuation list", () => {
    assert.equal(normaliseVqaAnswer("don't"), "don't");
    assert.equal(normaliseVqaAnswer("10:30"), "10:30");
    assert.equal(processDigitArticle("A  Dog"), "dog");
  });
});

describe("vqaAccuracy", () => {
  it("gives the official leave-one-out values for 0–10 agreeing humans out of 10", () => {
    const expected = [0, 0.3, 0.6, 0.9, 1, 1, 1, 1, 1, 1, 1];
    for (let agreeing = 0; agreeing <= 10; agreeing += 1) {
      const accuracy = vqaAccuracy("2", tenAnswers(agreeing));
      assert.ok(Math.abs(accuracy - (expected[agreeing] as number)) < 1e-12, `${agreeing}: ${accuracy}`);
    }
  });

  it("normalises both the prediction and the human answers", () => {
    assert.ok(Math.abs(vqaAccuracy("Two.", tenAnswers(3)) - 0.9) < 1e-12);
    const answers = ["Two", "two", "2", "2 ", "three", "3", "3", "3", "four", "4"];
    assert.equal(vqaAccuracy("2", answers), 1);
    assert.equal(vqaMatches("the two", answers), 4);
  });

  it("lets a unanimous answer score 1 with fewer than 4 humans", () => {
    assert.equal(vqaAccuracy("Paris", ["paris"]), 1);
    assert.equal(vqaAccuracy("Lyon", ["paris"]), 0);
    assert.equal(vqaAccuracy("yes", ["yes", "yes"]), 1);
    assert.equal(vqaAccuracy("yes", ["yes", "yes", "yes"]), 1);
    // One of three: the other two subsets each hold one agreeing human out of a divisor of 2.
    assert.ok(Math.abs(vqaAccuracy("yes", ["yes", "no", "no"]) - 1 / 3) < 1e-12);
    // From 4 answers on, the official divisor of 3 applies.
    assert.ok(Math.abs(vqaAccuracy("yes", ["yes", "no", "no", "no"]) - 0.25) < 1e-12);
  });

  it("offers the simple min(matches / 3, 1) too", () => {
    assert.equal(vqaAccuracySimple("2", tenAnswers(2)), 2 / 3);
    assert.equal(vqaAccuracySimple("2", tenAnswers(3)), 1);
    assert.equal(vqaAccuracySimple("2", tenAnswers(7)), 1);
    assert.equal(vqaAccuracySimple("5", ["2"]), 0);
  });

  it("refuses an item without reference answers", () => {
    assert.throws(
      () => vqaAccuracy("2", []),
      (error: unknown) => error instanceof AppError && error.code === "invalid_item",
    );
  });
});
