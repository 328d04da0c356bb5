// The image every layer passes around: decoded once at the edge (lib/inference/image-decode.ts),
// corrupted by chaos/corruptions, read by the engines.

/** An 8-bit RGB image, pixels interleaved row by row (length = width × height × 3). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}
