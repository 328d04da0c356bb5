import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../../kernel/random";
import { characterErrorRate, codePointLength, corpusCer, editDistance } from "./cer";

/** The textbook full-matrix Levenshtein, as an oracle. */
function naiveDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const table = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i += 1) {
    for (let j = 1; j <= t.length; j += 1) {
      table[i]![j] = Math.min(
        table[i - 1]![j]! + 1,
        table[i]![j - 1]! + 1,
        table[i - 1]![j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1),
      );
    }
  }
  return table[s.length]![t.length]!;
}

describe("editDistance", () => {
  it("gives the textbook values", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("sitting", "kitten"), 3);
    assert.equal(editDistance("flaw", "lawn"), 2);
    assert.equal(editDistance("", ""), 0);
    assert.equal(editDistance("abc", ""), 3);
    assert.equal(editDistance("", "abcd"), 4);
    assert.equal(editDistance("same", "same"), 0);
    assert.equal(editDistance("ab", "ba"), 2);
  });

  it("counts code points, not UTF-16 units", () => {
    assert.equal(editDistance("😀", "😃"), 1);
    assert.equal(editDistance("a😀b", "ab"), 1);
    assert.equal(editDistance("日本語", "日本"), 1);
  });

  it("agrees with the full-matrix algorithm on random strings", () => {
    const random = createRandom("levenshtein");
    const word = () =>
      Array.from({ length: random.int(0, 12) }, () => random.pick(["a", "b", "c", "é", "😀"])).join("");
    for (let i = 0; i < 500; i += 1) {
      const a = word();
      const b = word();
      assert.equal(editDistance(a, b), naiveDistance(a, b), `${a} / ${b}`);
    }
  });

  it("handles page-length texts", () => {
    assert.equal(editDistance("a".repeat(3000), "b".repeat(2000)), 3000);
    const page = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    assert.equal(editDistance(page, page.replaceAll("fox", "f0x")), 100);
  });
});

describe("characterErrorRate and corpusCer", () => {
  it("divides by the reference length, at least 1", () => {
    assert.equal(characterErrorRate("abd", "abc"), 1 / 3);
    assert.equal(characterErrorRate("", "hello"), 1);
    assert.equal(characterErrorRate("ab", ""), 2);
    assert.equal(characterErrorRate("", ""), 0);
    assert.equal(characterErrorRate("hello world!", "hello"), 7 / 5);
  });

  it("compares composed and decomposed accents as equal", () => {
    assert.equal(characterErrorRate("caf\u0065\u0301", "caf\u00e9"), 0);
    assert.equal(codePointLength("😀é"), 2);
  });

  it("pools distances and lengths over the corpus", () => {
    const pairs = [
      { prediction: "abc", reference: "abd" },
      { prediction: "", reference: "hello" },
    ];
    assert.equal(corpusCer(pairs), (1 + 5) / (3 + 5));
    // The mean of per-item CERs would be (1/3 + 1) / 2: the long line weighs more here.
    assert.notEqual(corpusCer(pairs), (1 / 3 + 1) / 2);
    assert.equal(corpusCer([]), 0);
  });
});
