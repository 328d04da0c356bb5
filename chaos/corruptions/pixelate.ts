// Pixelation (ImageNet-C `pixelate`): average down to a fraction of the size, then blow back up
// with nearest-neighbour, as low-resolution cameras and aggressive thumbnails do.
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Scale factor of the intermediate image. ImageNet-C uses [0.6…0.25] on 224-px photos; a 48-px line
// at 0.25 is 12 px tall, below what any recogniser reads, so the ladder starts gentler (0.8).
export const SEVERITY: SeverityTable<number> = [0.8, 0.6, 0.45, 0.33, 0.25];

export async function pixelate(image: RawImage, severity: Severity, _random: Random): Promise<RawImage> {
  const factor = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  const { width, height, data: source } = image;
  const smallWidth = Math.max(1, Math.round(width * factor));
  const smallHeight = Math.max(1, Math.round(height * factor));

  // Box filter: each small pixel is the mean of the source pixels its area covers.
  const small = new Uint8Array(smallWidth * smallHeight * 3);
  for (let sy = 0; sy < smallHeight; sy += 1) {
    const y0 = Math.floor((sy * height) / smallHeight);
    const y1 = Math.max(y0 + 1, Math.floor(((sy + 1) * height) / smallHeight));
    for (let sx = 0; sx < smallWidth; sx += 1) {
      const x0 = Math.floor((sx * width) / smallWidth);
      const x1 = Math.max(x0 + 1, Math.floor(((sx + 1) * width) / smallWidth));
      const sums = [0, 0, 0];
      for (let y = y0; y < y1; y += 1) {
        for (let x = x0; x < x1; x += 1) {
          const offset = (y * width + x) * 3;
          sums[0] = (sums[0] as number) + (source[offset] as number);
          sums[1] = (sums[1] as number) + (source[offset + 1] as number);
          sums[2] = (sums[2] as number) + (source[offset + 2] as number);
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const out = (sy * smallWidth + sx) * 3;
      for (let c = 0; c < 3; c += 1) small[out + c] = toByte((sums[c] as number) / count);
    }
  }

  // Nearest-neighbour back to the original size.
  const data = new Uint8Array(source.length);
  for (let y = 0; y < height; y += 1) {
    const sy = Math.min(smallHeight - 1, Math.floor(((y + 0.5) * smallHeight) / height));
    for (let x = 0; x < width; x += 1) {
      const sx = Math.min(smallWidth - 1, Math.floor(((x + 0.5) * smallWidth) / width));
      const from = (sy * smallWidth + sx) * 3;
      const to = (y * width + x) * 3;
      data[to] = small[from] as number;
      data[to + 1] = small[from + 1] as number;
      data[to + 2] = small[from + 2] as number;
    }
  }
  return { data, width, height };
}
