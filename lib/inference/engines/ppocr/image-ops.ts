// Pixel operations on RawImage shared by the detection and recognition pre-processing: plain
// typed-array code, so it is exact, synchronous and testable without sharp.
import { badRequest } from "../../../../kernel/errors";
import type { RawImage } from "../../types";

/**
 * Bilinear resize with OpenCV's INTER_LINEAR conventions (pixel centres at +0.5, edge clamped, no
 * anti-aliasing): PaddleOCR resizes with cv2.resize, and the models were trained on what it gives.
 */
export function resizeBilinear(image: RawImage, width: number, height: number): RawImage {
  const { data: src, width: sw, height: sh } = image;
  if (width === sw && height === sh) return image;
  const out = new Uint8Array(width * height * 3);
  const xs = axisWeights(sw, width);
  const ys = axisWeights(sh, height);
  for (let y = 0; y < height; y++) {
    const y0 = ys.lo[y] ?? 0;
    const y1 = ys.hi[y] ?? 0;
    const fy = ys.frac[y] ?? 0;
    const row0 = y0 * sw * 3;
    const row1 = y1 * sw * 3;
    let o = y * width * 3;
    for (let x = 0; x < width; x++) {
      const x0 = (xs.lo[x] ?? 0) * 3;
      const x1 = (xs.hi[x] ?? 0) * 3;
      const fx = xs.frac[x] ?? 0;
      for (let c = 0; c < 3; c++) {
        const top = (src[row0 + x0 + c] ?? 0) * (1 - fx) + (src[row0 + x1 + c] ?? 0) * fx;
        const bottom = (src[row1 + x0 + c] ?? 0) * (1 - fx) + (src[row1 + x1 + c] ?? 0) * fx;
        out[o++] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { data: out, width, height };
}

function axisWeights(srcSize: number, dstSize: number) {
  const lo = new Int32Array(dstSize);
  const hi = new Int32Array(dstSize);
  const frac = new Float32Array(dstSize);
  const scale = srcSize / dstSize;
  for (let i = 0; i < dstSize; i++) {
    const s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), srcSize - 1);
    const base = Math.floor(s);
    lo[i] = base;
    hi[i] = Math.min(base + 1, srcSize - 1);
    frac[i] = s - base;
  }
  return { lo, hi, frac };
}

/** Adds `border` pixels of one colour on every side. */
export function padConstant(
  image: RawImage,
  border: number,
  colour: readonly [number, number, number],
): RawImage {
  if (border <= 0) return image;
  const width = image.width + 2 * border;
  const height = image.height + 2 * border;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    out[i * 3] = colour[0];
    out[i * 3 + 1] = colour[1];
    out[i * 3 + 2] = colour[2];
  }
  for (let y = 0; y < image.height; y++) {
    const srcRow = y * image.width * 3;
    out.set(image.data.subarray(srcRow, srcRow + image.width * 3), ((y + border) * width + border) * 3);
  }
  return { data: out, width, height };
}

/** Per-channel median of the outermost pixels: the background colour of a typical scan or render. */
export function edgeMedianColour(image: RawImage): [number, number, number] {
  const { data, width, height } = image;
  const indices: number[] = [];
  for (let x = 0; x < width; x++) indices.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) indices.push(y * width, y * width + width - 1);
  const median = (c: number) => {
    const values = indices.map((i) => data[i * 3 + c] ?? 0).sort((a, b) => a - b);
    return values[values.length >> 1] ?? 0;
  };
  return [median(0), median(1), median(2)];
}

/** Rejects images whose size and buffer disagree: everything downstream indexes by width × height. */
export function assertRawImage(image: RawImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw badRequest("invalid_image", `Image size must be positive whole pixels, got ${width}×${height}.`);
  }
  if (data.length !== width * height * 3) {
    throw badRequest(
      "invalid_image",
      `An RGB image of ${width}×${height} needs ${width * height * 3} bytes, got ${data.length}.`,
    );
  }
}
