import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detInputSize, preprocessDet } from "./det-preprocess";

describe("detInputSize", () => {
  it("rounds both sides to multiples of 32 without upscaling small images", () => {
    assert.deepEqual(detInputSize(215, 166), { width: 224, height: 160 });
    assert.deepEqual(detInputSize(10, 10), { width: 32, height: 32 });
  });

  it("caps the longest side", () => {
    assert.deepEqual(detInputSize(1920, 1080), { width: 960, height: 544 });
    assert.deepEqual(detInputSize(1000, 4000, 960), { width: 256, height: 960 });
  });
});

describe("preprocessDet", () => {
  it("normalises with ImageNet mean/std in PaddleOCR's BGR plane order", () => {
    const image = { data: new Uint8Array(32 * 32 * 3), width: 32, height: 32 };
    for (let i = 0; i < 32 * 32; i++) image.data.set([255, 0, 0], i * 3);
    const tensor = preprocessDet(image);
    assert.deepEqual(tensor.dims, [1, 3, 32, 32]);
    const plane = 32 * 32;
    const close = (a: number | undefined, b: number) =>
      assert.ok(Math.abs((a ?? Number.NaN) - b) < 1e-5, `${a} ≈ ${b}`);
    close(tensor.data[0], (0 - 0.485) / 0.229); // blue, with the first (R) constants
    close(tensor.data[plane], (0 - 0.456) / 0.224);
    close(tensor.data[2 * plane], (1 - 0.406) / 0.225); // red, with the last (B) constants
  });
});
