import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { rotateImage, rotation } from "./rotation";
import {
  itKeepsTheCorruptionContract,
  meanAbsoluteDifference,
  SEVERITIES,
  textLineImage,
} from "./test-support";

describe("rotation", () => {
  itKeepsTheCorruptionContract({
    corruption: rotation,
    random: true,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("is the identity at 0° and leaves a flat image flat at any angle", async () => {
    const line = textLineImage();
    assert.deepEqual(rotateImage(line, 0).data, line.data);
    const flat = { data: new Uint8Array(40 * 20 * 3).fill(90), width: 40, height: 20 };
    for (const severity of SEVERITIES) {
      assert.deepEqual((await rotation(flat, severity, createRandom(severity))).data, flat.data);
    }
  });

  it("fills uncovered corners with the border's median colour", () => {
    const image = { data: new Uint8Array(60 * 60 * 3), width: 60, height: 60 };
    for (let i = 0; i < image.data.length; i += 3) image.data.set([250, 240, 230], i);
    image.data.set([0, 0, 0], (30 * 60 + 30) * 3); // one dark dot in the middle
    const rotated = rotateImage(image, 9);
    assert.deepEqual(Array.from(rotated.data.subarray(0, 3)), [250, 240, 230]);
  });

  it("turns both ways across seeds, by the same angle", async () => {
    const line = textLineImage();
    const left = rotateImage(line, 4);
    const right = rotateImage(line, -4);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 12; seed += 1) {
      const { data } = await rotation(line, 3, createRandom(seed));
      const same = (other: Uint8Array) => Buffer.compare(Buffer.from(data), Buffer.from(other)) === 0;
      seen.add(same(left.data) ? "left" : same(right.data) ? "right" : "other");
    }
    assert.deepEqual([...seen].sort(), ["left", "right"]);
    assert.ok(meanAbsoluteDifference(line, left) > 0);
  });
});
