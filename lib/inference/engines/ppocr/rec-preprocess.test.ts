import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawImage } from "../../types";
import { findInk, frameLine, preprocessRecBatch, REC_HEIGHT, REC_MIN_WIDTH } from "./rec-preprocess";

function solid(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
}

/** White image with a black box standing in for text. */
function textLike(width: number, height: number, box: { x0: number; y0: number; x1: number; y1: number }) {
  const image = solid(width, height, [255, 255, 255]);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) image.data.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return image;
}

describe("preprocessRecBatch", () => {
  it("scales a line to height 48 and pads it to at least 320 with zeros", () => {
    const tensor = preprocessRecBatch([solid(100, 24, [255, 255, 255])]);
    assert.deepEqual(tensor.dims, [1, 3, REC_HEIGHT, REC_MIN_WIDTH]);
    // 100×24 → 200×48: white (1.0) up to column 199, padding (0.0) after.
    assert.equal(tensor.data[199], 1);
    assert.equal(tensor.data[200], 0);
    assert.equal(tensor.data[REC_MIN_WIDTH - 1], 0);
  });

  it("normalises to [-1, 1] with blue in the first plane", () => {
    const tensor = preprocessRecBatch([solid(48, 48, [255, 0, 0])]);
    const plane = REC_HEIGHT * REC_MIN_WIDTH;
    assert.equal(tensor.data[0], -1, "B plane");
    assert.equal(tensor.data[plane], -1, "G plane");
    assert.equal(tensor.data[2 * plane], 1, "R plane");
  });

  it("gives a batch the width of its widest line", () => {
    const tensor = preprocessRecBatch([solid(50, 10, [0, 0, 0]), solid(100, 10, [0, 0, 0])]);
    assert.deepEqual(tensor.dims, [2, 3, 48, 480]);
    const second = 3 * 48 * 480;
    assert.equal(tensor.data[second + 479], -1, "the widest line fills the width");
    assert.equal(tensor.data[240], 0, "the shorter line is right-padded");
  });
});

describe("findInk and frameLine", () => {
  it("finds the text's box and the background colour", () => {
    const ink = findInk(textLike(100, 40, { x0: 10, y0: 12, x1: 80, y1: 25 }));
    assert.deepEqual(ink, { left: 10, top: 12, right: 80, bottom: 25, background: [255, 255, 255] });
  });

  it("is not stretched by isolated specks", () => {
    const image = textLike(100, 40, { x0: 10, y0: 12, x1: 80, y1: 25 });
    for (const [x, y] of [
      [2, 2],
      [95, 37],
      [50, 35],
    ] as const) {
      image.data.fill(0, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    }
    const ink = findInk(image);
    assert.deepEqual(ink && [ink.left, ink.top, ink.right, ink.bottom], [10, 12, 80, 25]);
  });

  it("pads a tight line and crops a loose one to the same framing", () => {
    // "Letters": 2-px bars every 8 px over 58×10 px, touching every edge of the tight image.
    const bars = (image: RawImage, left: number, top: number) => {
      for (let y = top; y < top + 10; y++) {
        for (let x = left; x < left + 58; x++) {
          if ((x - left) % 8 < 2)
            image.data.fill(0, (y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
        }
      }
      return image;
    };
    const tight = frameLine(bars(solid(58, 10, [255, 255, 255]), 0, 0), 0.5);
    assert.deepEqual([tight.width, tight.height], [68, 20]);
    assert.deepEqual([...tight.data.subarray(0, 3)], [255, 255, 255], "padding takes the background colour");
    const loose = frameLine(bars(solid(300, 200, [255, 255, 255]), 100, 80), 0.5);
    assert.deepEqual([loose.width, loose.height], [68, 20]);
    assert.deepEqual(loose.data, tight.data);
  });

  it("leaves blank or low-contrast images as they are", () => {
    const blank = solid(50, 20, [200, 200, 200]);
    assert.equal(frameLine(blank, 0.5), blank);
    const faint = textLike(50, 20, { x0: 5, y0: 5, x1: 40, y1: 12 });
    for (let i = 0; i < faint.data.length; i++)
      faint.data[i] = 230 + Math.round(((faint.data[i] ?? 0) / 255) * 25);
    assert.equal(frameLine(faint, 0.5), faint);
  });
});
