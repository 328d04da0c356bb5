import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { brightness, SEVERITY } from "./brightness";
import { itKeepsTheCorruptionContract, meanAbsoluteDifference, SEVERITIES } from "./test-support";

describe("brightness", () => {
  itKeepsTheCorruptionContract({
    corruption: brightness,
    random: false,
    change: meanAbsoluteDifference,
    changeName: "mean absolute difference",
  });

  it("adds the table's offset to every channel and clips at white", async () => {
    const ramp = {
      data: Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3)),
      width: 256,
      height: 1,
    };
    for (const severity of SEVERITIES) {
      const offset = SEVERITY[severity - 1] as number;
      const { data } = await brightness(ramp, severity, createRandom(1));
      for (let value = 0; value < 256; value += 1) {
        assert.equal(data[value * 3], Math.min(255, value + offset));
      }
    }
  });
});
