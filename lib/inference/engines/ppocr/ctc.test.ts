import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeCtcGreedy } from "./ctc";
import { parseDictionary } from "./dictionary";

// Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 " " (the space the dictionary appends last).
const dictionary = parseDictionary("a\nb\nc\n");
const CLASSES = 5;

/** One time step per entry: [winning class, its probability]; the rest share what is left. */
function steps(...winners: [number, number][]): Float32Array {
  const probs = new Float32Array(winners.length * CLASSES);
  winners.forEach(([cls, p], t) => {
    for (let c = 0; c < CLASSES; c++) probs[t * CLASSES + c] = c === cls ? p : (1 - p) / (CLASSES - 1);
  });
  return probs;
}

describe("decodeCtcGreedy", () => {
  it("collapses repeats and drops blanks, keeping letters a blank separates", () => {
    const probs = steps([1, 0.9], [1, 0.8], [0, 0.9], [1, 0.7], [2, 0.6], [2, 0.9], [0, 0.99]);
    const decoded = decodeCtcGreedy(probs, 7, CLASSES, dictionary);
    assert.equal(decoded.text, "aab");
    // The first step of each kept run counts: 0.9, 0.7, 0.6.
    assert.ok(Math.abs(decoded.confidence - (0.9 + 0.7 + 0.6) / 3) < 1e-6);
  });

  it("maps the last class to a space and trims spaces at the ends only", () => {
    const probs = steps([4, 0.9], [1, 0.9], [4, 0.9], [3, 0.9], [4, 0.9]);
    assert.equal(decodeCtcGreedy(probs, 5, CLASSES, dictionary).text, "a c");
  });

  it("returns an empty text with zero confidence when only blanks win", () => {
    const decoded = decodeCtcGreedy(steps([0, 0.9], [0, 0.8]), 2, CLASSES, dictionary);
    assert.deepEqual(decoded, { text: "", confidence: 0 });
  });

  it("decodes one sequence of a batch from its offset", () => {
    const batch = new Float32Array([...steps([1, 0.9], [0, 0.9]), ...steps([3, 0.9], [2, 0.9])]);
    assert.equal(decodeCtcGreedy(batch, 2, CLASSES, dictionary, 2 * CLASSES).text, "cb");
  });

  it("refuses a dictionary that does not match the model's classes", () => {
    assert.throws(() => decodeCtcGreedy(steps([1, 0.9]), 1, CLASSES + 1, dictionary), /6/);
  });
});
