// Recognition input, as PaddleOCR's resize_norm_img for PP-OCRv3/v4: BGR, height 48 keeping the
// aspect ratio, (x/255 − 0.5)/0.5, right-padded with 0 (mid-grey after normalisation) to the
// batch width, which is at least 320 so short words keep the context the model was trained with.
// One measured departure, optional: a horizontal stretch (widthScale). Margins are line-frame.ts's.
import type { RawImage } from "../../types";
import { resizeBilinear } from "./image-ops";

export const REC_HEIGHT = 48;
export const REC_MIN_WIDTH = 320;
/**
 * Horizontal stretch after scaling to height 48: more CTC steps per character, so fewer lost spaces
 * and double letters. With the 0.7 margin of line-frame.ts it took textline-v1 from 95.8 % to
 * 97.2 % exact and 66-character lines from 86–89 % to 95 %; (0.7, 1.3) was the best of a 7 × 4
 * grid on textline-v1, so expect it to be a point optimistic there.
 */
export const DEFAULT_WIDTH_SCALE = 1.3;

export interface RecTensor {
  data: Float32Array;
  dims: [number, 3, number, number];
}

/** Width of a line once resized to the model's height and stretched (at least 1 px). */
export function recResizedWidth(image: { width: number; height: number }, widthScale = 1): number {
  return Math.max(1, Math.ceil((REC_HEIGHT * image.width * widthScale) / image.height));
}

/** Batch tensor [N, 3, 48, W] for lines recognised together; W fits the widest line. */
export function preprocessRecBatch(
  images: readonly RawImage[],
  options: { widthScale?: number; minWidth?: number } = {},
): RecTensor {
  if (images.length === 0) throw new Error("preprocessRecBatch needs at least one image.");
  const widthScale = options.widthScale ?? 1;
  const widths = images.map((image) => recResizedWidth(image, widthScale));
  const batchWidth = Math.max(options.minWidth ?? REC_MIN_WIDTH, ...widths);
  const plane = REC_HEIGHT * batchWidth;
  // Zero-filled: the padding value PaddleOCR uses, applied after normalisation.
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((image, n) => {
    const resizedWidth = widths[n] ?? 1;
    const px = resizeBilinear(image, resizedWidth, REC_HEIGHT).data;
    const base = n * 3 * plane;
    for (let y = 0; y < REC_HEIGHT; y++) {
      for (let x = 0; x < resizedWidth; x++) {
        const i = (y * resizedWidth + x) * 3;
        const o = base + y * batchWidth + x;
        // RGB in, BGR planes out.
        data[o] = (px[i + 2] ?? 0) / 127.5 - 1;
        data[o + plane] = (px[i + 1] ?? 0) / 127.5 - 1;
        data[o + 2 * plane] = (px[i] ?? 0) / 127.5 - 1;
      }
    }
  });
  return { data, dims: [images.length, 3, REC_HEIGHT, batchWidth] };
}
