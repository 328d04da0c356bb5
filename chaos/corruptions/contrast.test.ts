import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { contrast, SEVERITY } from "./contrast";
import { itKeepsTheCorruptionContract, meanAbsoluteDifference, SEVERITIES, sceneImage } from "./test-support";

const channelStats = (data: Uint8Array, channel: number) => {
  const values = Array.from(data).filter((_, i) => i % 3 === channel);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, sd };
};

describe("contrast", () => {
  itKeepsTheCorruptionContract({
    corruption: contrast,
    random: false,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("keeps each channel's mean and scales its spread by the table's factor", async () => {
    const scene = sceneImage();
    for (const severity of SEVERITIES) {
      const { data } = await contrast(scene, severity, createRandom(1));
      for (const channel of [0, 1, 2]) {
        const before = channelStats(scene.data, channel);
        const after = channelStats(data, channel);
        assert.ok(Math.abs(after.mean - before.mean) < 0.6, `mean moved at severity ${severity}`);
        // Rounding to bytes adds up to ±0.5 per pixel, which matters at a factor of 0.015.
        const expected = before.sd * (SEVERITY[severity - 1] as number);
        assert.ok(Math.abs(after.sd - expected) < 0.3 + 0.05 * expected, `sd ${after.sd} vs ${expected}`);
      }
    }
  });
});
