import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawImage } from "../../types";
import { cropQuad, rotateCounterClockwise, squareToQuad } from "./crop";
import type { Quad } from "./det-postprocess";

/** An image whose red channel is x and green channel is y, so every pixel says where it is. */
function coordinates(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 0], (y * width + x) * 3);
  }
  return { data, width, height };
}

const at = (image: RawImage, x: number, y: number) => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 2),
];

describe("cropQuad", () => {
  it("cuts an axis-aligned box out pixel for pixel", () => {
    const crop = cropQuad(coordinates(50, 40), [
      [10, 5],
      [30, 5],
      [30, 15],
      [10, 15],
    ]);
    assert.deepEqual([crop.width, crop.height], [20, 10]);
    assert.deepEqual(at(crop, 0, 0), [10, 5]);
    assert.deepEqual(at(crop, 19, 9), [29, 14]);
  });

  it("straightens a rotated box", () => {
    // A 40 × 10 box turned 90° clockwise: its top edge runs down the image.
    const quad: Quad = [
      [30, 10],
      [30, 50],
      [20, 50],
      [20, 10],
    ];
    const crop = cropQuad(coordinates(60, 60), quad);
    assert.deepEqual([crop.width, crop.height], [40, 10]);
    assert.deepEqual(at(crop, 0, 0), [30, 10]);
    assert.deepEqual(at(crop, 39, 0), [30, 49]);
    assert.deepEqual(at(crop, 0, 9), [21, 10]);
  });

  it("replicates edge pixels where the box leaves the image", () => {
    const crop = cropQuad(coordinates(20, 20), [
      [-5, -5],
      [5, -5],
      [5, 5],
      [-5, 5],
    ]);
    assert.deepEqual(at(crop, 0, 0), [0, 0]);
    assert.deepEqual(at(crop, 9, 9), [4, 4]);
  });
});

describe("squareToQuad", () => {
  it("maps the unit square's corners onto a perspective quad's corners", () => {
    const quad: Quad = [
      [10, 10],
      [90, 20],
      [80, 70],
      [5, 60],
    ];
    const map = squareToQuad(quad);
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ].forEach(([u, v], i) => {
      const [x, y] = map(u as number, v as number);
      const [ex, ey] = quad[i] as [number, number];
      assert.ok(Math.abs(x - ex) < 1e-9 && Math.abs(y - ey) < 1e-9, `corner ${i}`);
    });
  });
});

describe("rotateCounterClockwise", () => {
  it("turns the right edge into the top edge", () => {
    const rotated = rotateCounterClockwise(coordinates(3, 2));
    assert.deepEqual([rotated.width, rotated.height], [2, 3]);
    assert.deepEqual(at(rotated, 0, 0), [2, 0]);
    assert.deepEqual(at(rotated, 1, 0), [2, 1]);
    assert.deepEqual(at(rotated, 0, 2), [0, 0]);
  });
});
