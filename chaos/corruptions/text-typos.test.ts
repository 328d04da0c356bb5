import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance } from "../../kernel/edit-distance";
import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import type { Severity } from "./severity";
import { SEVERITY, textTypos } from "./text-typos";

const QUESTION = "What is the total amount due on the invoice dated 12 March 2024?";
const SEVERITIES: readonly Severity[] = [1, 2, 3, 4, 5];

describe("textTypos", () => {
  it("replays the same typos for the same seed and differs across seeds", () => {
    assert.equal(textTypos(QUESTION, 4, createRandom(7)), textTypos(QUESTION, 4, createRandom(7)));
    const outputs = new Set([1, 2, 3, 4, 5].map((seed) => textTypos(QUESTION, 4, createRandom(seed))));
    assert.ok(outputs.size >= 4);
  });

  it("makes more edits at each severity, near the table's per-character rate", () => {
    const typable = Array.from(QUESTION).filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
    let previous = 0;
    for (const severity of SEVERITIES) {
      let edits = 0;
      for (let seed = 0; seed < 300; seed += 1) {
        edits += editDistance(textTypos(QUESTION, severity, createRandom(seed)), QUESTION);
      }
      const rate = edits / 300 / typable;
      const expected = SEVERITY[severity - 1] as number;
      // A swap is two edits, the others one, and overlapping typos can cancel: allow a wide band.
      assert.ok(
        rate > expected * 0.8 && rate < expected * 1.6,
        `severity ${severity}: ${rate} vs ${expected}`,
      );
      assert.ok(rate > previous);
      previous = rate;
    }
  });

  it("substitutes only keyboard neighbours and keeps the case", () => {
    const allowed = new Set("sSaAdDwWeEzZxX");
    for (let seed = 0; seed < 50; seed += 1) {
      for (const char of textTypos("sSsSsSsSsS", 5, createRandom(seed))) assert.ok(allowed.has(char), char);
    }
  });

  it("leaves text without letters or digits alone, and the empty string empty", () => {
    for (const severity of SEVERITIES) {
      assert.equal(textTypos("?! -- ... ;", severity, createRandom(1)), "?! -- ... ;");
      assert.equal(textTypos("", severity, createRandom(1)), "");
    }
  });

  it("rejects severities outside 1–5", () => {
    assert.throws(
      () => textTypos(QUESTION, 0 as Severity, createRandom(1)),
      (error: unknown) => error instanceof AppError && error.code === "invalid_severity",
    );
  });
});
