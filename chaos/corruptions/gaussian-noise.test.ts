import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { gaussianNoise, SEVERITY } from "./gaussian-noise";
import { itKeepsTheCorruptionContract, meanAbsoluteDifference, SEVERITIES } from "./test-support";

describe("gaussianNoise", () => {
  itKeepsTheCorruptionContract({
    corruption: gaussianNoise,
    random: true,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("adds zero-mean noise whose standard deviation is the table's sigma (away from clipping)", async () => {
    const grey = { data: new Uint8Array(120 * 80 * 3).fill(128), width: 120, height: 80 };
    for (const severity of SEVERITIES) {
      const { data } = await gaussianNoise(grey, severity, createRandom(severity));
      const residuals = Array.from(data, (value) => value - 128);
      const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
      const sd = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / residuals.length);
      const sigma = SEVERITY[severity - 1] as number;
      // Beyond ~3σ = 127 clipping at 0/255 trims the tails (and biases nothing, by symmetry).
      if (sigma * 3 > 127) continue;
      assert.ok(Math.abs(mean) < 0.05 * sigma, `severity ${severity}: mean ${mean}`);
      assert.ok(Math.abs(sd / sigma - 1) < 0.05, `severity ${severity}: sd ${sd} for sigma ${sigma}`);
    }
  });
});
