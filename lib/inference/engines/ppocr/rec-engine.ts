// The PP-OCRv4 line recogniser (task ocr.line): one image holding one line of text → its text.
import type { Engine, EngineOutput, InferenceInput } from "../../types";
import { loadDictionary, restrictDictionary } from "./dictionary";
import { assertRawImage } from "./image-ops";
import { DEFAULT_LINE_MARGIN_RATIO, frameLine } from "./line-frame";
import { openSession, recogniseLines } from "./ort-session";
import { DEFAULT_WIDTH_SCALE } from "./rec-preprocess";

export interface PpocrRecEngineOptions {
  name: string;
  modelPath: string;
  dictPath: string;
  /** Characters the decoder may output (a whitelist); all of the dictionary when absent. */
  allowedCharacters?: (character: string) => boolean;
  intraOpThreads?: number;
  /**
   * Margin around the ink, as a fraction of its height, that line images are re-framed to before
   * recognition; 0 feeds images as they come. See frameLine.
   */
  lineMarginRatio?: number;
  /** Horizontal stretch before recognition (1: as PaddleOCR). See DEFAULT_WIDTH_SCALE. */
  widthScale?: number;
}

export async function createPpocrRecEngine(options: PpocrRecEngineOptions): Promise<Engine> {
  const [dictionary, session] = await Promise.all([
    loadDictionary(options.dictPath).then((full) =>
      options.allowedCharacters ? restrictDictionary(full, options.allowedCharacters) : full,
    ),
    // No spinning: drills interleave several sessions on the same cores, and one session's idle
    // threads spinning through another's run made every run ~4× slower under a two-model load
    // (infer p50 51 → 19 ms at 40 req/s on 2 cores; a lone session loses a few ms instead).
    openSession(options.modelPath, options.intraOpThreads, false),
  ]);
  const marginRatio = options.lineMarginRatio ?? DEFAULT_LINE_MARGIN_RATIO;
  return {
    name: options.name,
    async infer(input: InferenceInput): Promise<EngineOutput> {
      assertRawImage(input.image);
      const line = marginRatio > 0 ? frameLine(input.image, marginRatio) : input.image;
      const { results, inferMs } = await recogniseLines(session, dictionary, [line], {
        widthScale: options.widthScale ?? DEFAULT_WIDTH_SCALE,
      });
      const result = results[0] ?? { text: "", confidence: 0 };
      return { answer: result.text, confidence: result.confidence, inferMs };
    },
    close: () => session.release(),
  };
}
