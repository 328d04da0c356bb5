import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawImage } from "../../types";
import { preprocessRecBatch, REC_HEIGHT, REC_MIN_WIDTH } from "./rec-preprocess";

function solid(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
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

  it("stretches lines horizontally by the width scale", () => {
    const tensor = preprocessRecBatch([solid(100, 24, [255, 255, 255])], { widthScale: 1.3 });
    // 100×24 → 200×48 → 260 wide, then padding.
    assert.equal(tensor.data[259], 1);
    assert.equal(tensor.data[260], 0);
  });

  it("gives a batch the width of its widest line", () => {
    const tensor = preprocessRecBatch([solid(50, 10, [0, 0, 0]), solid(100, 10, [0, 0, 0])]);
    assert.deepEqual(tensor.dims, [2, 3, 48, 480]);
    const second = 3 * 48 * 480;
    assert.equal(tensor.data[second + 479], -1, "the widest line fills the width");
    assert.equal(tensor.data[240], 0, "the shorter line is right-padded");
  });
});
