// Detection input, as PaddleOCR's DetResizeForTest (limit_type "max") + NormalizeImage: the longest
// side is capped, both sides are rounded to multiples of 32 (the image is stretched, not padded),
// then ImageNet mean/std on x/255, CHW.
import type { RawImage } from "../../types";
import { resizeBilinear } from "./image-ops";

export const DET_MAX_SIDE = 960;
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

export interface DetTensor {
  data: Float32Array;
  dims: [1, 3, number, number];
  /** Size of the image the tensor was made from: boxes are scaled back to it. */
  sourceWidth: number;
  sourceHeight: number;
}

/** The network's input size for an image: longest side ≤ maxSide, both sides multiples of 32. */
export function detInputSize(width: number, height: number, maxSide = DET_MAX_SIDE) {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  const round32 = (side: number) => Math.max(32, Math.round(Math.floor(side * ratio) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

/**
 * Planes are filled in BGR order with the mean/std listed in RGB order: that mismatch is what
 * PaddleOCR does (cv2 images, ImageNet constants). "rgb" measured no better on coloured renders
 * (95.8 % vs 95.4 % of 1,764 lines exact; identical on black-on-white), so BGR stays the default.
 */
export function preprocessDet(
  image: RawImage,
  maxSide = DET_MAX_SIDE,
  channelOrder: "bgr" | "rgb" = "bgr",
): DetTensor {
  const size = detInputSize(image.width, image.height, maxSide);
  const resized = resizeBilinear(image, size.width, size.height);
  const plane = size.width * size.height;
  const data = new Float32Array(3 * plane);
  const px = resized.data;
  for (let i = 0; i < plane; i++) {
    const r = px[i * 3] ?? 0;
    const g = px[i * 3 + 1] ?? 0;
    const b = px[i * 3 + 2] ?? 0;
    const [first, last] = channelOrder === "bgr" ? [b, r] : [r, b];
    data[i] = (first / 255 - MEAN[0]) / STD[0];
    data[i + plane] = (g / 255 - MEAN[1]) / STD[1];
    data[i + 2 * plane] = (last / 255 - MEAN[2]) / STD[2];
  }
  return {
    data,
    dims: [1, 3, size.height, size.width],
    sourceWidth: image.width,
    sourceHeight: image.height,
  };
}
