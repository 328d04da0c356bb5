// Additive Gaussian noise, independent per pixel and channel (ImageNet-C `gaussian_noise`).
import type { RawImage } from "../../lib/inference/types";
import type { Random } from "../random";
import { assertRawImage, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Standard deviation in 0–255 units. ImageNet-C uses [0.08…0.38]×255 ≈ [20…97] on photos; text on
// a flat background shows noise sooner, so the ladder starts lower (8 ≈ a noisy phone sensor) and
// ends where thin strokes begin to dissolve (64). Calibrate on the OCR model.
export const SEVERITY: SeverityTable<number> = [8, 16, 28, 44, 64];

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
