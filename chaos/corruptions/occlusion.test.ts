import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../kernel/random";
import { occlusion, SEVERITY } from "./occlusion";
import {
  changedPixelShare,
  itKeepsTheCorruptionContract,
  SEVERITIES,
  sceneImage,
  textLineImage,
} from "./test-support";

describe("occlusion", () => {
  itKeepsTheCorruptionContract({
    corruption: occlusion,
    random: true,
    change: changedPixelShare,
    changeName: "share of pixels covered",
  });

  it("covers the table's share of the image, within a few per cent, on lines and scenes", async () => {
    for (const image of [textLineImage(), textLineImage(960, 48, 5), sceneImage(), sceneImage(640, 480)]) {
      for (const severity of SEVERITIES) {
        // Seeds apart from the images' own, whose shapes would share colours with the boxes.
        for (const seed of [101, 102, 103, 104, 105]) {
          const share = changedPixelShare(image, await occlusion(image, severity, createRandom(seed)));
          const target = SEVERITY[severity - 1] as number;
          // Boxes have whole-pixel sides: up to 3 boxes may each gain a row and a column.
          const rounding =
            (6 * Math.ceil(Math.sqrt(target * image.width * image.height))) / (image.width * image.height);
          assert.ok(
            share > target * 0.95 && share < target * 1.1 + rounding,
            `${image.width}×${image.height} severity ${severity} seed ${seed}: ${share} for ${target}`,
          );
        }
      }
    }
  });

  it("paints solid boxes: every changed pixel takes one of a few colours", async () => {
    const line = textLineImage();
    const { data } = await occlusion(line, 5, createRandom(9));
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += 3) {
      if (data[i] !== line.data[i] || data[i + 1] !== line.data[i + 1] || data[i + 2] !== line.data[i + 2]) {
        colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
    }
    assert.ok(colours.size >= 1 && colours.size <= 53, `${colours.size} colours`);
  });
});
