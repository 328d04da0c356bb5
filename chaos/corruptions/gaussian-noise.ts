// Additive Gaussian noise, independent per pixel and channel (ImageNet-C `gaussian_noise`).
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Standard deviation in 0–255 units. ImageNet-C uses [0.08…0.38]×255 ≈ [20…97] on photos; text on
// a flat background shows noise sooner, so the ladder starts lower. Calibrated on PP-OCRv4 rec
// (textline-v1, 60 items): the first ladder [8…64] cost at most 8 points, so it now reaches 140,
// where thin strokes dissolve.
export const SEVERITY: SeverityTable<number> = [16, 40, 70, 100, 140];

export async function gaussianNoise(image: RawImage, severity: Severity, random: Random): Promise<RawImage> {
  const sigma = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  const source = image.data;
  const data = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i += 1) {
    data[i] = toByte((source[i] as number) + sigma * random.normal());
  }
  return { data, width: image.width, height: image.height };
}
