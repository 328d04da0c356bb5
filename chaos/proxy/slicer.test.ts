import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { sliceOffsets } from "./toxics/slicer";

const pieces = (cuts: number[]) => cuts.slice(1).map((end, i) => end - (cuts[i] as number));

describe("sliceOffsets (the slicer toxic's cutting)", () => {
  it("cuts 24 bytes with average 1 and no variation into 24 pieces", () => {
    assert.deepEqual(pieces(sliceOffsets(24, 1, 0, createRandom(1))), Array(24).fill(1));
  });

  it("cuts 100 bytes with average 10 into 16 pieces of 6–7 bytes, as observed on Toxiproxy", () => {
    const sizes = pieces(sliceOffsets(100, 10, 0, createRandom(2)));
    assert.equal(sizes.length, 16);
    assert.ok(
      sizes.every((size) => size === 6 || size === 7),
      String(sizes),
    );
  });

  it("cuts 480 KB with average 1024 ± 512 into 240–720 pieces that cover every byte once", () => {
    const random = createRandom(3);
    for (let run = 0; run < 20; run += 1) {
      const cuts = sliceOffsets(480_000, 1024, 512, random);
      const sizes = pieces(cuts);
      assert.ok(sizes.length >= 240 && sizes.length <= 720, `${sizes.length} pieces`);
      assert.equal(cuts[0], 0);
      assert.equal(cuts.at(-1), 480_000);
      assert.ok(sizes.every((size) => size > 0 && size <= 1536));
    }
  });

  it("never emits an empty piece, even when the variation equals the average", () => {
    const random = createRandom(4);
    for (let length = 1; length < 200; length += 1) {
      assert.ok(pieces(sliceOffsets(length, 1, 1, random)).every((size) => size > 0));
    }
  });
});
