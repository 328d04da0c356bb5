// Opening ONNX Runtime sessions and running the recognition model: shared by the line and the
// document engines so both decode exactly the same way.
import { InferenceSession, Tensor } from "onnxruntime-node";
import type { RawImage } from "../../types";
import { type DecodedText, decodeCtcGreedy } from "./ctc";
import type { Dictionary } from "./dictionary";
import { preprocessRecBatch, REC_MIN_WIDTH, recResizedWidth } from "./rec-preprocess";

/**
 * `spinning: false` lets the session's intra-op threads sleep as soon as a run ends. The document
 * engine turns it off for detection: otherwise det's idle threads spin through the recognition
 * runs that follow and slow each by ~40 % on 2 cores (det + 6 lines: 125 → 95 ms).
 */
export async function openSession(
  modelPath: string,
  intraOpThreads?: number,
  spinning = true,
): Promise<InferenceSession> {
  return InferenceSession.create(modelPath, {
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    // Parallelism across requests belongs to the session pool; inside one run only intra-op.
    interOpNumThreads: 1,
    ...(intraOpThreads ? { intraOpNumThreads: intraOpThreads } : {}),
    ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: "0" } } } }),
  });
}

/** Runs a session on one float tensor and returns its only output, timing the run alone. */
export async function runSingle(
  session: InferenceSession,
  data: Float32Array,
  dims: readonly number[],
): Promise<{ output: Tensor; ms: number }> {
  const input = new Tensor("float32", data, dims);
  const started = performance.now();
  const results = await session.run({ [session.inputNames[0] ?? "x"]: input });
  const ms = performance.now() - started;
  const output = results[session.outputNames[0] ?? ""];
  if (!output) throw new Error(`Model returned no output named ${session.outputNames[0]}.`);
  return { output, ms };
}

export interface RecogniseOptions {
  /** Lines per model run (sorted by width, as PaddleOCR). 1 was fastest on a 2-core CPU. */
  batchSize?: number;
  /** Horizontal stretch, see DEFAULT_WIDTH_SCALE. */
  widthScale?: number;
}

/** Recognises line images; results come back in input order. */
export async function recogniseLines(
  session: InferenceSession,
  dictionary: Dictionary,
  lines: readonly RawImage[],
  options: RecogniseOptions = {},
): Promise<{ results: DecodedText[]; inferMs: number }> {
  const widthScale = options.widthScale ?? 1;
  const widths = lines.map((line) => recResizedWidth(line, widthScale));
  const order = widths.map((_, i) => i).sort((a, b) => (widths[a] ?? 0) - (widths[b] ?? 0));
  const results: DecodedText[] = new Array(lines.length);
  let inferMs = 0;
  for (const indices of widthBuckets(
    order.map((i) => widths[i] ?? 0),
    order,
    options.batchSize ?? 1,
  )) {
    const tensor = preprocessRecBatch(
      indices.map((i) => lines[i] as RawImage),
      { widthScale },
    );
    const { output, ms } = await runSingle(session, tensor.data, tensor.dims);
    inferMs += ms;
    const [batch, timeSteps, classes] = output.dims as [number, number, number];
    const probs = output.data as Float32Array;
    for (let n = 0; n < batch; n++) {
      results[indices[n] as number] = decodeCtcGreedy(
        probs,
        timeSteps,
        classes,
        dictionary,
        n * timeSteps * classes,
      );
    }
  }
  return { results, inferMs };
}

/**
 * Splits indices (sorted by width) into batches of at most `batchSize` whose padded widths stay
 * within 25 % of each other: right-padding a line beyond its own width changes what the model
 * reads (batches of 8 lost ~1 point of line exact match against batches of 1).
 */
export function widthBuckets(
  widths: readonly number[],
  indices: readonly number[],
  batchSize: number,
): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let firstWidth = 0;
  indices.forEach((index, k) => {
    const width = Math.max(REC_MIN_WIDTH, widths[k] ?? 0);
    if (current.length === batchSize || (current.length > 0 && width > firstWidth * 1.25)) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0) firstWidth = width;
    current.push(index);
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
