// Over-exposure: a constant added to every channel, clipped at white (ImageNet-C `brightness`,
// which adds to HSV value; on grey text the two agree). Light ink is clipped away entirely.
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Offset in 0–255 units. ImageNet-C uses [0.1…0.5]×255, but black-on-white text keeps 255 − offset
// grey levels of ink contrast and PP-OCRv4 shrugs off contrast ×0.1, so the ladder must go near
// white to hurt: black ink keeps [191, 127, 71, 31, 11] levels, and ink lighter than that vanishes.
export const SEVERITY: SeverityTable<number> = [64, 128, 184, 224, 244];

export async function brightness(image: RawImage, severity: Severity, _random: Random): Promise<RawImage> {
  const offset = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  const source = image.data;
  const data = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i += 1) data[i] = toByte((source[i] as number) + offset);
  return { data, width: image.width, height: image.height };
}
