// The PP-OCRv4 document reader (task ocr.document): DB text detection, then recognition of every
// detected line; the answer is the lines in reading order, one per row of text.
import type { Engine, EngineOutput, InferenceInput, RawImage, RecognisedLine } from "../../types";
import { cropQuad, growQuad, rotateCounterClockwise } from "./crop";
import { boundingQuad, extractBoxes, groupRows, mergeRow, type Quad, scaleQuad } from "./det-postprocess";
import { DET_MAX_SIDE, preprocessDet } from "./det-preprocess";
import { loadDictionary, restrictDictionary } from "./dictionary";
import { assertRawImage, edgeMedianColour, padConstant } from "./image-ops";
import { DEFAULT_LINE_MARGIN_RATIO, frameDetectedLine } from "./line-frame";
import { openSession, recogniseLines, runSingle } from "./ort-session";
import { DEFAULT_WIDTH_SCALE } from "./rec-preprocess";

export interface PpocrDocumentEngineOptions {
  name: string;
  detModelPath: string;
  recModelPath: string;
  dictPath: string;
  /** Characters the decoder may output (a whitelist); all of the dictionary when absent. */
  allowedCharacters?: (character: string) => boolean;
  intraOpThreads?: number;
  /**
   * Border of the image's background colour added before detection, in pixels: DB misses text
   * that touches the edge of the image.
   */
  border?: number;
  detThreshold?: number;
  boxThreshold?: number;
  unclipRatio?: number;
  maxSide?: number;
  /** Recognised lines below this confidence are dropped (PaddleOCR's drop_score). */
  minLineConfidence?: number;
  /** Margin each crop is re-framed to, as a fraction of its ink height (0: crops as detected). */
  lineMarginRatio?: number;
  /** Horizontal stretch of each crop before recognition (1: as PaddleOCR). */
  widthScale?: number;
  /** Crops recognised per model run; 1 was fastest on a 2-core CPU and avoids padding. */
  recBatchSize?: number;
}

export const DOCUMENT_DEFAULTS = {
  border: 32,
  detThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  maxSide: DET_MAX_SIDE,
  minLineConfidence: 0.5,
  lineMarginRatio: DEFAULT_LINE_MARGIN_RATIO,
  widthScale: DEFAULT_WIDTH_SCALE,
  recBatchSize: 1,
} as const;

export async function createPpocrDocumentEngine(options: PpocrDocumentEngineOptions): Promise<Engine> {
  const settings = { ...DOCUMENT_DEFAULTS, ...withoutUndefined(options) };
  const [dictionary, det, rec] = await Promise.all([
    loadDictionary(options.dictPath).then((full) =>
      options.allowedCharacters ? restrictDictionary(full, options.allowedCharacters) : full,
    ),
    openSession(options.detModelPath, options.intraOpThreads, false),
    openSession(options.recModelPath, options.intraOpThreads),
  ]);

  return {
    name: options.name,
    async infer(input: InferenceInput): Promise<EngineOutput> {
      const { image } = input;
      assertRawImage(image);
      const framed = padConstant(image, settings.border, edgeMedianColour(image));
      const tensor = preprocessDet(framed, settings.maxSide);
      const detRun = await runSingle(det, tensor.data, tensor.dims);
      const [, , mapHeight, mapWidth] = detRun.output.dims as [number, number, number, number];
      const detected = extractBoxes(
        { data: detRun.output.data as Float32Array, width: mapWidth, height: mapHeight },
        {
          threshold: settings.detThreshold,
          boxThreshold: settings.boxThreshold,
          unclipRatio: settings.unclipRatio,
        },
      );
      // Boxes in the bordered image's pixels: crops keep the context the border provides.
      const boxes = detected.map((d) => ({
        box: scaleQuad(d.box, framed.width / mapWidth, framed.height / mapHeight),
      }));
      const rows = groupRows(boxes).map((row) => mergeRow(row.map((item) => item.box)));
      const parts = rows.flat();
      const crops = parts.map((box) => lineImage(framed, box, settings.lineMarginRatio));
      const recRun =
        crops.length > 0
          ? await recogniseLines(rec, dictionary, crops, {
              batchSize: settings.recBatchSize,
              widthScale: settings.widthScale,
            })
          : { results: [], inferMs: 0 };

      let next = 0;
      const lines = rows.flatMap((row) => {
        const recognised = row.flatMap((box) => {
          const result = recRun.results[next++];
          if (!result || result.text === "" || result.confidence < settings.minLineConfidence) return [];
          return [{ box, text: result.text, confidence: result.confidence }];
        });
        return recognised.length > 0 ? [toLine(recognised, settings.border, image)] : [];
      });
      return {
        answer: lines.map((line) => line.text).join("\n"),
        confidence:
          lines.length === 0 ? 0 : lines.reduce((sum, line) => sum + line.confidence, 0) / lines.length,
        lines,
        inferMs: detRun.ms + recRun.inferMs,
      };
    },
    async close() {
      await Promise.all([det.release(), rec.release()]);
    },
  };
}

/**
 * The detected line as the recogniser should see it. With re-framing, the box is cut out grown by
 * 30 % of its height (DB boxes can cut the tops and bottoms of large glyphs) and frameDetectedLine
 * finds the text in it; without, it is PaddleOCR's crop. Crops at least 1.5× taller than wide are
 * read as vertical text, turned to horizontal, as PaddleOCR does.
 */
function lineImage(image: RawImage, box: Quad, marginRatio: number): RawImage {
  const [p0, p1, , p3] = box;
  const width = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]);
  const height = Math.hypot(p3[0] - p0[0], p3[1] - p0[1]);
  const vertical = height >= width * 1.5;
  if (marginRatio <= 0) {
    const crop = cropQuad(image, box);
    return vertical ? rotateCounterClockwise(crop) : crop;
  }
  const grow = Math.round(0.3 * Math.min(width, height));
  if (!vertical && Math.abs(p1[1] - p0[1]) < 0.03 * width) {
    // Nearly level: an axis-aligned cut on whole pixels, as resampling blurs small text.
    const xs = box.map((p) => p[0]);
    const ys = box.map((p) => p[1]);
    const left = Math.round(Math.min(...xs));
    const top = Math.round(Math.min(...ys));
    const right = Math.round(Math.max(...xs));
    const bottom = Math.round(Math.max(...ys));
    const crop = cropQuad(image, [
      [left - grow, top - grow],
      [right + grow, top - grow],
      [right + grow, bottom + grow],
      [left - grow, bottom + grow],
    ]);
    const core = { left: grow, top: grow, right: grow + right - left - 1, bottom: grow + bottom - top - 1 };
    return frameDetectedLine(crop, core, marginRatio);
  }
  const crop = cropQuad(image, growQuad(box, grow));
  const core = { left: grow, top: grow, right: crop.width - 1 - grow, bottom: crop.height - 1 - grow };
  if (!vertical) return frameDetectedLine(crop, core, marginRatio);
  // A quarter turn counter-clockwise takes column x to row width − 1 − x.
  const turned = {
    left: core.top,
    top: crop.width - 1 - core.right,
    right: core.bottom,
    bottom: crop.width - 1 - core.left,
  };
  return frameDetectedLine(rotateCounterClockwise(crop), turned, marginRatio);
}

/**
 * One row of text as one line: DB splits a row at wide gaps (monospace spaces, tab stops), but a
 * reader sees one line. Confidence is weighted by text length; the box encloses the parts.
 */
function toLine(
  row: readonly { box: Quad; text: string; confidence: number }[],
  border: number,
  image: RawImage,
): RecognisedLine {
  const text = row.map((part) => part.text).join(" ");
  const characters = row.reduce((sum, part) => sum + part.text.length, 0);
  const confidence =
    row.reduce((sum, part) => sum + part.confidence * part.text.length, 0) / Math.max(1, characters);
  const box =
    row.length === 1 ? (row[0] as { box: Quad }).box : boundingQuad(row.flatMap((part) => part.box));
  return { text, confidence, box: toInputPixels(box, border, image) };
}

function toInputPixels(box: Quad, border: number, image: RawImage): [number, number][] {
  return box.map(([x, y]) => [
    Math.min(Math.max(Math.round(x - border), 0), image.width),
    Math.min(Math.max(Math.round(y - border), 0), image.height),
  ]);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
