// JPEG re-encoding at falling quality (ImageNet-C `jpeg_compression`): 8×8 block artefacts and
// ringing around strokes, with 4:2:0 chroma subsampling as phone cameras and web uploads do.
import sharp from "sharp";
import type { RawImage } from "../../kernel/image";
import type { Random } from "../../kernel/random";
import { assertRawImage, rawFromSharp, sharpFromRaw } from "./raw-image";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Encoder quality (1–100). ImageNet-C uses [25, 18, 15, 10, 7]; at quality 30 text is still
// clean. Calibrated on PP-OCRv4 rec: quality 5 still read 85%, so the ladder ends at 2, where most
// glyphs become blocks.
export const SEVERITY: SeverityTable<number> = [25, 14, 8, 4, 2];

export async function jpeg(image: RawImage, severity: Severity, _random: Random): Promise<RawImage> {
  const quality = severityParameter(SEVERITY, severity);
  assertRawImage(image);
  // Every encoder option is pinned so a change of sharp's defaults cannot move the bytes.
  const encoded = await sharpFromRaw(image)
    .jpeg({
      quality,
      chromaSubsampling: "4:2:0",
      mozjpeg: false,
      progressive: false,
      optimiseCoding: true,
      trellisQuantisation: false,
      overshootDeringing: false,
      optimiseScans: false,
    })
    .toBuffer();
  return rawFromSharp(sharp(encoded));
}
