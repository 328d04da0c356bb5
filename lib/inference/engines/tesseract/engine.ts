// Tesseract (tesseract.js, WebAssembly) as an independent, non-ONNX baseline engine. Traineddata
// comes from the @tesseract.js-data/eng package (offline, no download); one worker per
// concurrency slot, each a separate WASM instance.
import path from "node:path";
import sharp from "sharp";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import { projectRoot } from "../../../env";
import type { Engine, EngineOutput, InferenceInput, RecognisedLine } from "../../types";

export interface TesseractEngineOptions {
  name: string;
  /** "line": one text line per image (PSM 7); "document": automatic page segmentation (PSM 3). */
  mode: "line" | "document";
  workers?: number;
  /** Folder holding <lang>.traineddata.gz; defaults to @tesseract.js-data/eng's "4.0.0_best_int". */
  langPath?: string;
  lang?: string;
}

/** The package's int8 "best" model: ~3 MB, close to "best" accuracy at a fraction of the load time. */
export function defaultLangPath(): string {
  // Resolved from the project root, not with require.resolve: bundlers rewrite that into a module id.
  return path.join(projectRoot(), "node_modules", "@tesseract.js-data", "eng", "4.0.0_best_int");
}

export async function createTesseractEngine(options: TesseractEngineOptions): Promise<Engine> {
  const lang = options.lang ?? "eng";
  const langPath = options.langPath ?? defaultLangPath();
  const count = Math.max(1, options.workers ?? 1);
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = await createWorker(lang, OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: "none" });
      await worker.setParameters({
        tessedit_pageseg_mode: options.mode === "line" ? PSM.SINGLE_LINE : PSM.AUTO,
        preserve_interword_spaces: "1",
        // Rendered and uploaded images rarely carry a real DPI; state the value Tesseract would
        // fall back to anyway, which silences its per-call warning without changing results.
        user_defined_dpi: "70",
      });
      return worker;
    }),
  );
  const idle: Worker[] = [...workers];
  const waiting: Array<(worker: Worker) => void> = [];
  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const worker = idle.pop();
      if (worker) resolve(worker);
      else waiting.push(resolve);
    });
  const release = (worker: Worker) => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };

  return {
    name: options.name,
    async infer(input: InferenceInput): Promise<EngineOutput> {
      const { data, width, height } = input.image;
      const png = await sharp(data, { raw: { width, height, channels: 3 } })
        .png({ compressionLevel: 1 })
        .toBuffer();
      const worker = await acquire();
      const started = performance.now();
      try {
        const result = await worker.recognize(png, {}, { text: true, blocks: options.mode === "document" });
        const inferMs = performance.now() - started;
        const page = result.data;
        if (options.mode === "line") {
          return {
            answer: page.text.replace(/\s+/g, " ").trim(),
            confidence: page.confidence / 100,
            inferMs,
          };
        }
        const lines: RecognisedLine[] = (page.blocks ?? [])
          .flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))
          .map(
            (line): RecognisedLine => ({
              text: line.text.replace(/\s+/g, " ").trim(),
              confidence: line.confidence / 100,
              box: [
                [line.bbox.x0, line.bbox.y0],
                [line.bbox.x1, line.bbox.y0],
                [line.bbox.x1, line.bbox.y1],
                [line.bbox.x0, line.bbox.y1],
              ],
            }),
          )
          .filter((line) => line.text.length > 0);
        return {
          answer: lines.map((line) => line.text).join("\n"),
          confidence: page.confidence / 100,
          lines,
          inferMs,
        };
      } finally {
        release(worker);
      }
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
