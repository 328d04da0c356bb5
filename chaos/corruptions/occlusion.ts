// Occlusion: solid boxes of random colour (stickers, fingers, glare patches) covering a growing
// share of the image, in the spirit of Cutout / Random Erasing. Not in ImageNet-C.
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Share of the image's pixels covered, in [0, 1], split over 1–3 boxes. Calibrated on PP-OCRv4 rec:
// any box over a glyph breaks an exact match, and 3% (about one glyph) already cost 57 points, so
// severity 1 is a speck (0.3%) and 5 hides a few glyphs (6%).
export const SEVERITY: SeverityTable<number> = [0.003, 0.008, 0.015, 0.03, 0.06];

/** Box aspect ratios (width / height) are drawn log-uniformly from [1/3, 3]. */
const MAX_ASPECT = 3;
/** Boxes placed to fill what overlaps left uncovered; bounds the loop on tiny images. */
const MAX_EXTRA_BOXES = 50;

export async function occlusion(image: RawImage, severity: Severity, random: Random): Promise<RawImage> {
  const coverage = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  const { width, height } = image;
  const target = Math.max(1, Math.round(coverage * width * height));
  const data = new Uint8Array(image.data);
  const covered = new Uint8Array(width * height);
  let coveredCount = 0;

  const placeBox = (area: number) => {
    const aspect = Math.exp((2 * random.next() - 1) * Math.log(MAX_ASPECT));
    let boxHeight = clampInt(Math.round(Math.sqrt(area / aspect)), 1, height);
    const boxWidth = clampInt(Math.round(area / boxHeight), 1, width);
    if (boxWidth === width) boxHeight = clampInt(Math.round(area / width), 1, height);
    const left = random.int(0, width - boxWidth);
    const top = random.int(0, height - boxHeight);
    const colour = [random.int(0, 255), random.int(0, 255), random.int(0, 255)];
    for (let y = top; y < top + boxHeight; y += 1) {
      for (let x = left; x < left + boxWidth; x += 1) {
        const pixel = y * width + x;
        if (covered[pixel] === 0) {
          covered[pixel] = 1;
          coveredCount += 1;
        }
        data.set(colour, pixel * 3);
      }
    }
  };

  const boxes = random.int(1, 3);
  for (let i = 0; i < boxes; i += 1) placeBox(target / boxes);
  // Overlapping boxes cover less than their sum: top up with boxes the size of what is missing.
  for (let i = 0; i < MAX_EXTRA_BOXES && coveredCount < target * 0.98; i += 1) {
    placeBox(target - coveredCount);
  }
  return { data, width, height };
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
