// The contract between the inference API and the engines behind it. An engine never sees HTTP:
// it receives a decoded image (and an optional prompt) and returns an answer with its own timings.

import type { RawImage } from "../../kernel/image";

export type { RawImage };

export interface InferenceInput {
  image: RawImage;
  /** The request's text side (a question or instruction); OCR engines may ignore it. */
  prompt?: string;
}

/** One recognised line of a document: its text, confidence in [0,1] and quadrilateral box. */
export interface RecognisedLine {
  text: string;
  confidence: number;
  /** Four corners, clockwise from top-left, in pixels of the input image. */
  box: [number, number][];
}

export interface EngineOutput {
  answer: string;
  /** Mean confidence in [0,1]. */
  confidence: number;
  lines?: RecognisedLine[];
  /** Time inside the model runtime(s), excluding pre/post-processing, in ms. */
  inferMs: number;
}

/**
 * A loaded model. `infer` may be called concurrently; the session pool in front of it decides how
 * many calls run at once. `close` releases native memory.
 */
export interface Engine {
  readonly name: string;
  infer(input: InferenceInput): Promise<EngineOutput>;
  close(): Promise<void>;
}
