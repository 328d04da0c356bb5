// Character error rate (CER), the OCR community's standard error measure, over the kernel's edit
// distance (Unicode code points, so "é" or an emoji is one character, not two UTF-16 units).
import { editDistance } from "../../../kernel/edit-distance";

export { editDistance };

/** Length in code points (what CER divides by). */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

/**
 * distance / max(1, reference length), after NFC normalisation of both sides (so a composed and a
 * decomposed "é" are equal). Can exceed 1 when the prediction is much longer than the reference.
 */
export function characterErrorRate(prediction: string, reference: string): number {
  const ref = reference.normalize("NFC");
  return editDistance(prediction.normalize("NFC"), ref) / Math.max(1, codePointLength(ref));
}

export interface TextPair {
  prediction: string;
  reference: string;
}

/**
 * Corpus CER: total distance over total reference length, the figure OCR papers report. Unlike a
 * mean of per-item CERs, long lines weigh more and short ones cannot dominate.
 */
export function corpusCer(pairs: readonly TextPair[]): number {
  let distance = 0;
  let length = 0;
  for (const { prediction, reference } of pairs) {
    const ref = reference.normalize("NFC");
    distance += editDistance(prediction.normalize("NFC"), ref);
    length += codePointLength(ref);
  }
  return distance / Math.max(1, length);
}
