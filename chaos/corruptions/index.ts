// The corruption registry: every input corruption by name, and the one entry point the fault
// middleware and the runner call. The random stream comes from the seed alone, so the same
// (image, name, severity, seed) always gives the same bytes on any machine.
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "../../kernel/image";
import { createRandom, type Random } from "../../kernel/random";
import { brightness } from "./brightness";
import { contrast } from "./contrast";
import { gaussianBlur } from "./gaussian-blur";
import { gaussianNoise } from "./gaussian-noise";
import { jpeg } from "./jpeg";
import { occlusion } from "./occlusion";
import { pixelate } from "./pixelate";
import { rotation } from "./rotation";
import type { Severity } from "./severity";
import { textTypos } from "./text-typos";

export { Severity } from "./severity";

export type ImageCorruption = (image: RawImage, severity: Severity, random: Random) => Promise<RawImage>;

export const CorruptionName = z.enum([
  "gaussian_noise",
  "gaussian_blur",
  "jpeg",
  "contrast",
  "brightness",
  "occlusion",
  "pixelate",
  "rotation",
]);
export type CorruptionName = z.infer<typeof CorruptionName>;

export const CORRUPTIONS: Readonly<Record<CorruptionName, ImageCorruption>> = {
  gaussian_noise: gaussianNoise,
  gaussian_blur: gaussianBlur,
  jpeg,
  contrast,
  brightness,
  occlusion,
  pixelate,
  rotation,
};

/** Every image corruption name, in registry order. */
export const IMAGE_CORRUPTIONS: readonly CorruptionName[] = CorruptionName.options;

/**
 * Applies one corruption. The stream is forked by name but not by severity: one seed gives the
 * same noise field (scaled) and rotation direction at every severity, so severity curves are paired.
 */
export async function applyCorruption(
  name: CorruptionName,
  image: RawImage,
  severity: Severity,
  seed: number | string,
): Promise<RawImage> {
  const corruption = CorruptionName.safeParse(name).success ? CORRUPTIONS[name] : undefined;
  if (!corruption) {
    throw new AppError("unknown_corruption", `No corruption is called "${String(name)}".`, 400, {
      known: IMAGE_CORRUPTIONS,
    });
  }
  return corruption(image, severity, createRandom(seed).fork(`corruption:${name}`));
}

/** The text-side counterpart of applyCorruption: typos in a prompt, reproducible from the seed. */
export function applyTextTypos(text: string, severity: Severity, seed: number | string): string {
  return textTypos(text, severity, createRandom(seed).fork("corruption:text_typos"));
}
