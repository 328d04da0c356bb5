import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { pixelate } from "./pixelate";
import {
  itKeepsTheCorruptionContract,
  meanAbsoluteDifference,
  SEVERITIES,
  textLineImage,
} from "./test-support";

describe("pixelate", () => {
  itKeepsTheCorruptionContract({
    corruption: pixelate,
    random: false,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("leaves a flat image unchanged", async () => {
    const flat = { data: new Uint8Array(50 * 30 * 3).fill(200), width: 50, height: 30 };
    for (const severity of SEVERITIES) {
      assert.deepEqual((await pixelate(flat, severity, createRandom(1))).data, flat.data);
    }
  });

  it("turns a 320×48 line into 4×4 blocks at severity 5, each the mean of its pixels", async () => {
    const line = textLineImage(320, 48, 4);
    const { data } = await pixelate(line, 5, createRandom(1));
    for (let y = 0; y < 48; y += 1) {
      for (let x = 0; x < 320; x += 1) {
        const corner = (Math.floor(y / 4) * 4 * 320 + Math.floor(x / 4) * 4) * 3;
        assert.equal(data[(y * 320 + x) * 3], data[corner]);
      }
    }
    let sum = 0;
    for (let y = 8; y < 12; y += 1)
      for (let x = 40; x < 44; x += 1) sum += line.data[(y * 320 + x) * 3] as number;
    assert.equal(data[(8 * 320 + 40) * 3], Math.round(sum / 16));
  });
});
