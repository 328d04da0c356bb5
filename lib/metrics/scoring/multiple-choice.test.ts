import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../../kernel/errors";
import { chosenIndex, multipleChoiceCorrect } from "./multiple-choice";

const CITIES = ["Paris", "London", "Berlin", "Madrid"];

describe("multipleChoiceCorrect", () => {
  it("accepts the option's text, loosely", () => {
    for (const answer of ["Paris", "paris.", "  PARIS ", '"Paris"', "The answer is Paris"]) {
      assert.equal(multipleChoiceCorrect(answer, CITIES, 0), true, answer);
    }
    assert.equal(multipleChoiceCorrect("London", CITIES, 0), false);
    assert.equal(multipleChoiceCorrect("Paris, France", CITIES, 0), false);
  });

  it("accepts the option's letter in the usual shapes", () => {
    for (const answer of [
      "B",
      "b",
      "(b)",
      "B.",
      "b)",
      "[B]",
      "B. London",
      "(b) london",
      "b: London",
      "Answer: B",
    ]) {
      assert.equal(multipleChoiceCorrect(answer, CITIES, 1), true, answer);
    }
    assert.equal(multipleChoiceCorrect("C", CITIES, 1), false);
    assert.equal(multipleChoiceCorrect("E", CITIES, 1), false);
    assert.equal(chosenIndex("E", CITIES), undefined);
    assert.equal(chosenIndex("", CITIES), undefined);
  });

  it("reads text before letters, so an option starting with 'A ' is not taken for a letter", () => {
    const pets = ["A cat", "A dog"];
    assert.equal(multipleChoiceCorrect("a dog", pets, 1), true);
    assert.equal(multipleChoiceCorrect("A cat", pets, 1), false);
    assert.equal(chosenIndex("a bird", pets), undefined);
  });

  it("rejects an answer index outside the choices", () => {
    assert.throws(
      () => multipleChoiceCorrect("A", CITIES, 4),
      (error: unknown) => error instanceof AppError && error.code === "invalid_item",
    );
  });
});
