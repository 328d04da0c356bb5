import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawImage } from "../../types";
import { assertRawImage, edgeMedianColour, padConstant, resizeBilinear } from "./image-ops";

const grey = (width: number, height: number, value: (x: number, y: number) => number): RawImage => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return { data, width, height };
};

describe("resizeBilinear", () => {
  it("averages neighbours when halving, as cv2.resize INTER_LINEAR", () => {
    const image = grey(4, 1, (x) => [0, 100, 200, 250][x] ?? 0);
    const half = resizeBilinear(image, 2, 1);
    assert.deepEqual([...half.data], [50, 50, 50, 225, 225, 225]);
  });

  it("keeps a flat image flat and returns the same image at the same size", () => {
    const image = grey(5, 3, () => 77);
    assert.ok(resizeBilinear(image, 13, 7).data.every((v) => v === 77));
    assert.equal(resizeBilinear(image, 5, 3), image);
  });
});

describe("padConstant and edgeMedianColour", () => {
  it("surrounds the image with the given colour", () => {
    const padded = padConstant(
      grey(1, 1, () => 9),
      2,
      [255, 0, 0],
    );
    assert.equal(padded.width, 5);
    assert.equal(padded.height, 5);
    assert.deepEqual([...padded.data.subarray(0, 3)], [255, 0, 0]);
    assert.deepEqual([...padded.data.subarray(36, 39)], [9, 9, 9]);
  });

  it("takes the background from the outermost pixels, ignoring text inside", () => {
    const image = grey(10, 6, (x, y) => (x > 2 && x < 7 && y > 1 && y < 4 ? 0 : 240));
    assert.deepEqual(edgeMedianColour(image), [240, 240, 240]);
  });
});

describe("assertRawImage", () => {
  it("rejects a buffer that does not match the size", () => {
    assert.throws(() => assertRawImage({ data: new Uint8Array(5), width: 2, height: 1 }), /needs 6 bytes/);
    assert.throws(() => assertRawImage({ data: new Uint8Array(0), width: 0, height: 0 }), /positive/);
    assert.doesNotThrow(() => assertRawImage(grey(2, 2, () => 0)));
  });
});
