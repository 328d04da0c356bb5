// Greedy CTC decoding of the recognition model's softmax output, as PaddleOCR's CTCLabelDecode:
// arg-max per time step, collapse repeats, drop blanks (class 0).
import type { Dictionary } from "./dictionary";

export interface DecodedText {
  text: string;
  /** Mean of the kept characters' probabilities; 0 when nothing was recognised. */
  confidence: number;
}

/**
 * Decodes one sequence of `timeSteps × classes` probabilities starting at `offset` in `probs`
 * (row-major, as ORT returns [N, T, C]). Surrounding spaces are trimmed from the text; they still
 * count towards the confidence, as in PaddleOCR.
 */
export function decodeCtcGreedy(
  probs: Float32Array,
  timeSteps: number,
  classes: number,
  dictionary: Dictionary,
  offset = 0,
): DecodedText {
  if (dictionary.length !== classes) {
    throw new Error(`Dictionary has ${dictionary.length} classes but the model outputs ${classes}.`);
  }
  let text = "";
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < timeSteps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestProb = probs[row] ?? 0;
    for (let c = 1; c < classes; c++) {
      // An empty entry is a class outside the allowed character set (see restrictDictionary).
      if (dictionary[c] === "") continue;
      const p = probs[row + c] ?? 0;
      if (p > bestProb) {
        best = c;
        bestProb = p;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best] ?? "";
      sum += bestProb;
      kept++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: kept === 0 ? 0 : sum / kept };
}
