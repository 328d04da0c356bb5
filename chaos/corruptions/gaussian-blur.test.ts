import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { gaussianBlur, gaussianKernel, SEVERITY } from "./gaussian-blur";
import { itKeepsTheCorruptionContract, SEVERITIES, sharpness } from "./test-support";

describe("gaussianBlur", () => {
  itKeepsTheCorruptionContract({
    corruption: gaussianBlur,
    random: false,
    change: (original, corrupted) => sharpness(original) - sharpness(corrupted),
    changeName: "loss of sharpness (mean gradient)",
  });

  it("uses normalised kernels that widen with severity", () => {
    let previousRadius = 0;
    for (const sigma of SEVERITY) {
      const kernel = gaussianKernel(sigma);
      assert.ok(Math.abs(kernel.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(kernel.length >= previousRadius);
      previousRadius = kernel.length;
    }
  });

  it("leaves a flat image flat and spreads a single dot symmetrically", async () => {
    const flat = { data: new Uint8Array(30 * 20 * 3).fill(77), width: 30, height: 20 };
    assert.deepEqual((await gaussianBlur(flat, 5, createRandom(1))).data, flat.data);

    const dot = { data: new Uint8Array(21 * 21 * 3), width: 21, height: 21 };
    dot.data.fill(255, (10 * 21 + 10) * 3, (10 * 21 + 10) * 3 + 3);
    let previousCentre = 255;
    for (const severity of SEVERITIES) {
      const { data } = await gaussianBlur(dot, severity, createRandom(1));
      const at = (x: number, y: number) => data[(y * 21 + x) * 3] as number;
      assert.equal(at(9, 10), at(11, 10));
      assert.equal(at(10, 9), at(10, 11));
      assert.equal(at(9, 10), at(10, 9));
      assert.ok(at(10, 10) >= at(11, 10) && at(11, 10) > 0);
      assert.ok(at(10, 10) < previousCentre, `severity ${severity}: centre ${at(10, 10)}`);
      previousCentre = at(10, 10);
    }
  });
});
