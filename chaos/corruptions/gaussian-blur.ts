// Gaussian blur (ImageNet-C `gaussian_blur`), computed here rather than by libvips so the bytes are
// the same on every CPU: a separable kernel of radius ⌈3σ⌉ with edge pixels repeated.
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, toByte } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Kernel sigma in pixels. ImageNet-C's [1…6] is for 224-px photos; text lines are 48 px tall with
// strokes of 3–5 px, so σ 3 already merges neighbouring glyphs. PP-OCRv4 drops spaces under blur,
// hence exact_loose beside exact in reports.
export const SEVERITY: SeverityTable<number> = [0.6, 1.0, 1.5, 2.2, 3.0];

export async function gaussianBlur(image: RawImage, severity: Severity, _random: Random): Promise<RawImage> {
  const sigma = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  return { data: blurRgb(image, sigma), width: image.width, height: image.height };
}

/** Normalised 1-D Gaussian weights, centre at index `radius`. */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i += 1) {
    const weight = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = weight;
    sum += weight;
  }
  for (let i = 0; i < kernel.length; i += 1) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

function blurRgb(image: RawImage, sigma: number): Uint8Array {
  const { width, height, data } = image;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const rowLength = width * 3;

  // Horizontal pass: each row copied into a buffer padded with its edge pixels, so the inner loop
  // runs over contiguous memory without bounds checks.
  const horizontal = new Float64Array(data.length);
  const padded = new Float64Array((width + 2 * radius) * 3);
  for (let y = 0; y < height; y += 1) {
    const rowStart = y * rowLength;
    for (let x = -radius; x < width + radius; x += 1) {
      const from = rowStart + Math.min(width - 1, Math.max(0, x)) * 3;
      const to = (x + radius) * 3;
      padded[to] = data[from] as number;
      padded[to + 1] = data[from + 1] as number;
      padded[to + 2] = data[from + 2] as number;
    }
    for (let i = 0; i < rowLength; i += 1) {
      let sum = 0;
      for (let k = 0; k < kernel.length; k += 1) sum += (kernel[k] as number) * (padded[i + k * 3] as number);
      horizontal[rowStart + i] = sum;
    }
  }

  // Vertical pass: whole rows scaled and added, edge rows repeated.
  const result = new Uint8Array(data.length);
  const accumulator = new Float64Array(rowLength);
  for (let y = 0; y < height; y += 1) {
    accumulator.fill(0);
    for (let k = -radius; k <= radius; k += 1) {
      const weight = kernel[k + radius] as number;
      const sourceStart = Math.min(height - 1, Math.max(0, y + k)) * rowLength;
      for (let i = 0; i < rowLength; i += 1) {
        accumulator[i] = (accumulator[i] as number) + weight * (horizontal[sourceStart + i] as number);
      }
    }
    const rowStart = y * rowLength;
    for (let i = 0; i < rowLength; i += 1) result[rowStart + i] = toByte(accumulator[i] as number);
  }
  return result;
}
