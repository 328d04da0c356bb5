// Small rotations about the centre (a tilted camera or a skewed scan), bilinear, same size out;
// corners that come from outside the image take the median colour of its border.
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, borderMedian, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Angle in degrees, sign drawn at random. Nothing crops the rotated content back into view, so on a
// wide line the ends also leave the frame: they move by ±(width/2)·sin θ, i.e. ±2.8 px at 1° and
// ±25 px at 9° for a 320-px line. That loss is part of what these severities measure.
export const SEVERITY: SeverityTable<number> = [1, 2.5, 4, 6, 9];

export async function rotation(image: RawImage, severity: Severity, random: Random): Promise<RawImage> {
  const degrees = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  const sign = random.next() < 0.5 ? -1 : 1;
  return rotateImage(image, sign * degrees);
}

/** Rotates counter-clockwise by `degrees` (negative: clockwise) about the image centre. */
export function rotateImage(image: RawImage, degrees: number): RawImage {
  const { width, height, data: source } = image;
  const background = borderMedian(image);
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const centreX = width / 2;
  const centreY = height / 2;
  const data = new Uint8Array(source.length);

  // A neighbour outside the image reads as background, so edges blend smoothly into it.
  const sample = (x: number, y: number, channel: number) =>
    x < 0 || y < 0 || x >= width || y >= height
      ? (background[channel] as number)
      : (source[(y * width + x) * 3 + channel] as number);

  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // Inverse mapping from pixel centres: where in the source does this output pixel come from?
      const dx = x + 0.5 - centreX;
      const dy = y + 0.5 - centreY;
      const sourceX = cos * dx - sin * dy + centreX - 0.5;
      const sourceY = sin * dx + cos * dy + centreY - 0.5;
      const x0 = Math.floor(sourceX);
      const y0 = Math.floor(sourceY);
      const fx = sourceX - x0;
      const fy = sourceY - y0;
      const out = (y * width + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const top = sample(x0, y0, c) * (1 - fx) + sample(x0 + 1, y0, c) * fx;
        const bottom = sample(x0, y0 + 1, c) * (1 - fx) + sample(x0 + 1, y0 + 1, c) * fx;
        data[out + c] = toByte(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { data, width, height };
}
