// Line-level precision, recall and F1 for documents. Predicted and reference lines are paired one
// to one; a pair counts when its texts match under the chosen criterion. The pairing maximises the
// number of matches (augmenting paths after a greedy lowest-CER pass), so order never matters.
import { characterErrorRate, codePointLength } from "./cer";

export type LineCriterion =
  /** Normalised texts are equal (trimmed, whitespace runs collapsed, NFC). */
  | { kind: "exact" }
  /** CER of the prediction against the reference is at most `maxCer` (e.g. 0.1). */
  | { kind: "cer"; maxCer: number };

export interface LineScore {
  precision: number;
  recall: number;
  f1: number;
  /** Pairs that count as correct. */
  matched: number;
  /** Non-empty predicted lines. */
  predicted: number;
  /** Non-empty reference lines. */
  reference: number;
}

/** Trimmed, NFC, inner whitespace runs collapsed to one space. Blank lines become "". */
export function normaliseLine(text: string): string {
  return text.normalize("NFC").trim().replace(/\s+/gu, " ");
}

/**
 * Scores predicted lines against reference lines. Blank lines are ignored on both sides. With no
 * lines on either side the score is perfect; with lines on only one side it is zero.
 */
export function lineScore(
  predictedLines: readonly string[],
  referenceLines: readonly string[],
  criterion: LineCriterion = { kind: "exact" },
): LineScore {
  const predicted = predictedLines.map(normaliseLine).filter((line) => line !== "");
  const reference = referenceLines.map(normaliseLine).filter((line) => line !== "");
  const matched = maximumMatching(candidatePairs(predicted, reference, criterion), predicted.length);

  const precision = predicted.length > 0 ? matched / predicted.length : reference.length === 0 ? 1 : 0;
  const recall = reference.length > 0 ? matched / reference.length : predicted.length === 0 ? 1 : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, matched, predicted: predicted.length, reference: reference.length };
}

interface Pair {
  p: number;
  r: number;
  cer: number;
}

function candidatePairs(predicted: string[], reference: string[], criterion: LineCriterion): Pair[] {
  const pairs: Pair[] = [];
  if (criterion.kind === "exact") {
    const byText = new Map<string, number[]>();
    reference.forEach((text, r) => {
      byText.set(text, [...(byText.get(text) ?? []), r]);
    });
    predicted.forEach((text, p) => {
      for (const r of byText.get(text) ?? []) pairs.push({ p, r, cer: 0 });
    });
    return pairs;
  }
  const referenceLengths = reference.map(codePointLength);
  predicted.forEach((text, p) => {
    const length = codePointLength(text);
    reference.forEach((ref, r) => {
      const refLength = referenceLengths[r] as number;
      // The distance is at least the length difference: skip pairs that cannot pass.
      if (Math.abs(length - refLength) / Math.max(1, refLength) > criterion.maxCer) return;
      const cer = characterErrorRate(text, ref);
      if (cer <= criterion.maxCer) pairs.push({ p, r, cer });
    });
  });
  return pairs;
}

/** Size of a maximum one-to-one matching over the candidate pairs (Kuhn's augmenting paths). */
function maximumMatching(pairs: Pair[], predictedCount: number): number {
  pairs.sort((a, b) => a.cer - b.cer || a.p - b.p || a.r - b.r);
  const options: number[][] = Array.from({ length: predictedCount }, () => []);
  for (const { p, r } of pairs) options[p]?.push(r);
  const referenceOwner = new Map<number, number>();
  const predictedPartner = new Map<number, number>();

  // Greedy by lowest CER first: the pairing people would draw by hand.
  for (const { p, r } of pairs) {
    if (predictedPartner.has(p) || referenceOwner.has(r)) continue;
    predictedPartner.set(p, r);
    referenceOwner.set(r, p);
  }
  // Then augmenting paths, which only ever add matches, until none is left.
  const augment = (p: number, visited: Set<number>): boolean => {
    for (const r of options[p] ?? []) {
      if (visited.has(r)) continue;
      visited.add(r);
      const owner = referenceOwner.get(r);
      if (owner === undefined || augment(owner, visited)) {
        referenceOwner.set(r, p);
        predictedPartner.set(p, r);
        return true;
      }
    }
    return false;
  };
  for (let p = 0; p < predictedCount; p += 1) {
    if (!predictedPartner.has(p)) augment(p, new Set());
  }
  return referenceOwner.size;
}
