// The generic ONNX engine on real models, configured only by manifest parameters: PP-OCRv4's
// recogniser read through the CTC decoder, and PaddleOCR's text-direction classifier.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import sharp from "sharp";
import { AppError } from "../../../../kernel/errors";
import { loadDataset, readImage } from "../../../datasets/load";
import { exactMatchLoose } from "../../../metrics/scoring";
import { type LoadedManifest, ModelManifest } from "../../../models/manifest";
import { createEngine } from "../index";

const root = process.cwd();
const assets = path.join(root, "node_modules", "@gutenye", "ocr-models", "assets");
// PaddleOCR's preprocessing, written as parameters: BGR, height 48, (x/255 − 0.5) / 0.5.
const paddleInput = {
  channels: "BGR",
  height: 48,
  resize: "keep-aspect",
  scale: 1 / 255,
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
};

function manifest(name: string, artifact: string, params: unknown): LoadedManifest {
  return {
    manifest: ModelManifest.parse({
      name,
      family: "test",
      version: "1",
      task: "test",
      engine: "onnx",
      params,
    }),
    file: path.join(assets, "manifest.json"),
    artifactPath: path.join(assets, artifact),
  } as LoadedManifest;
}

describe("the generic ONNX engine", () => {
  it("reads text lines with a CTC recogniser described only by parameters", async () => {
    const engine = await createEngine(
      manifest("rec", "ch_PP-OCRv4_rec_infer.onnx", {
        input: { ...paddleInput, width: 320 },
        output: { kind: "ctc", dictionary: "ppocr_keys_v1.txt" },
      }),
    );
    const dataset = await loadDataset(path.join(root, "datasets", "textline-v1"));
    const items = dataset.items.slice(0, 40);
    let right = 0;
    for (const item of items) {
      const output = await engine.infer({ image: await readImage(item) });
      if (exactMatchLoose(output.answer, item.text as string)) right += 1;
    }
    await engine.close();
    // Plain PaddleOCR preprocessing, no charset restriction: ~95 % on the full set last measured.
    assert.ok(right / items.length >= 0.85, `${right}/${items.length} right`);
  });

  it("classifies with a classifier described only by parameters (text upright or upside down)", async () => {
    const engine = await createEngine(
      manifest("cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx", {
        input: { ...paddleInput, width: 192, maxWidth: 192 },
        output: { kind: "classification", labels: ["0", "180"], softmax: false },
      }),
    );
    const dataset = await loadDataset(path.join(root, "datasets", "textline-v1"));
    let right = 0;
    const items = dataset.items.slice(0, 10);
    for (const item of items) {
      const image = await readImage(item);
      const flipped = await sharp(Buffer.from(image.data), {
        raw: { width: image.width, height: image.height, channels: 3 },
      })
        .rotate(180)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const upright = await engine.infer({ image });
      const upsideDown = await engine.infer({
        image: { data: new Uint8Array(flipped.data), width: flipped.info.width, height: flipped.info.height },
      });
      if (upright.answer === "0") right += 1;
      if (upsideDown.answer === "180") right += 1;
      assert.ok(upright.confidence > 0 && upright.confidence <= 1);
    }
    await engine.close();
    assert.ok(right >= 18, `${right}/20 orientations right`);
  });

  it("names the parameter a manifest gets wrong", async () => {
    await assert.rejects(
      createEngine(
        manifest("bad", "ch_ppocr_mobile_v2.0_cls_infer.onnx", {
          input: { height: 48 },
          output: { kind: "boxes" },
        }),
      ),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "manifest_invalid" &&
        /params\.input\.width/.test(error.message),
    );
  });
});
