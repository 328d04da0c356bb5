// Pixel plumbing shared by the corruptions: validating a RawImage, clamping to bytes, the border
// colour used as background, and the round trip through sharp for the ones that need a codec.
import sharp, { type Sharp } from "sharp";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "../../kernel/image";

/** Rejects images whose buffer does not hold width × height × 3 bytes. */
export function assertRawImage(image: RawImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AppError(
      "invalid_image",
      `Image dimensions must be positive integers, got ${width}×${height}.`,
      400,
    );
  }
  if (data.length !== width * height * 3) {
    throw new AppError(
      "invalid_image",
      `An RGB image of ${width}×${height} needs ${width * height * 3} bytes, got ${data.length}.`,
      400,
    );
  }
}

/** Rounds half up and clamps to 0–255 (one rounding rule everywhere keeps outputs reproducible). */
export function toByte(value: number): number {
  if (value <= 0) return 0;
  if (value >= 255) return 255;
  return Math.round(value);
}

/** The per-channel median of the outermost ring of pixels: the image's background, usually. */
export function borderMedian(image: RawImage): [number, number, number] {
  const { width, height, data } = image;
  const channels: number[][] = [[], [], []];
  const add = (x: number, y: number) => {
    const offset = (y * width + x) * 3;
    for (let c = 0; c < 3; c += 1) channels[c]?.push(data[offset + c] as number);
  };
  for (let x = 0; x < width; x += 1) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y += 1) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  const median = (values: number[] = []) => {
    values.sort((a, b) => a - b);
    return values[Math.floor((values.length - 1) / 2)] ?? 0;
  };
  return [median(channels[0]), median(channels[1]), median(channels[2])];
}

/** A sharp pipeline reading the image's raw RGB bytes. */
export function sharpFromRaw(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

/** Decodes a sharp pipeline back to an RGB RawImage (a plain Uint8Array, not a Buffer). */
export async function rawFromSharp(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.removeAlpha().toColourspace("srgb").raw().toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== 3) {
    throw new AppError(
      "corruption_failed",
      `Expected 3 channels back from sharp, got ${info.channels}.`,
      500,
    );
  }
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}
