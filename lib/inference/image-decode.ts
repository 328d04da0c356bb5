// Turns untrusted image bytes into an RGB RawImage, or a clear 4xx. Every check happens before
// pixels are decoded: the format from the header, the pixel count against the limit (a 100-byte
// PNG can claim 50,000 × 50,000 pixels), and truncation is an error rather than a grey tail.
import sharp, { type Metadata } from "sharp";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "./types";

const SUPPORTED_FORMATS = new Set(["jpeg", "png", "webp", "gif", "tiff", "avif", "heif"]);

export interface DecodedImage {
  image: RawImage;
  format: string;
  decodeMs: number;
}

export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  const started = performance.now();
  if (bytes.length === 0) throw new AppError("empty_image", "The image is empty (0 bytes).", 400);
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError(
      "invalid_image",
      "The file is not an image that can be read (supported: JPEG, PNG, WebP, GIF, TIFF, AVIF).",
      400,
    );
  }
  const format = metadata.format ?? "unknown";
  if (!SUPPORTED_FORMATS.has(format)) {
    throw new AppError(
      "unsupported_image_format",
      `Images in ${format.toUpperCase()} format are not supported: send JPEG, PNG, WebP, GIF, TIFF or AVIF.`,
      415,
      { format },
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw new AppError("invalid_image", "The image has no pixels.", 400);
  if (width * height > maxPixels) {
    throw new AppError(
      "image_too_large",
      `The image is ${width}×${height} = ${(width * height).toLocaleString("en")} pixels; the limit is ${maxPixels.toLocaleString("en")}.`,
      413,
      { width, height, maxPixels },
    );
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "truncated", pages: 1 })
      .autoOrient()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    const image = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
    return { image, format, decodeMs: performance.now() - started };
  } catch (error) {
    throw new AppError(
      "invalid_image",
      `The ${format.toUpperCase()} image is corrupt or truncated and cannot be decoded.`,
      400,
      { format, reason: error instanceof Error ? error.message : String(error) },
    );
  }
}
