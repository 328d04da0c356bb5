// Edit distance and character error rate (CER), the OCR community's standard error measure.
// Distances count Unicode code points, so "é" or an emoji is one character, not two UTF-16 units.

/** Levenshtein distance over code points: O(n·m) time, O(min(n, m)) memory. */
export function editDistance(a: string, b: string): number {
  let longer = codePoints(a);
  let shorter = codePoints(b);
  if (longer.length < shorter.length) [longer, shorter] = [shorter, longer];
  // A shared prefix or suffix never costs anything; trimming it first is free speed.
  let start = 0;
  while (start < shorter.length && longer[start] === shorter[start]) start += 1;
  let endLonger = longer.length;
  let endShorter = shorter.length;
  while (endShorter > start && longer[endLonger - 1] === shorter[endShorter - 1]) {
    endLonger -= 1;
    endShorter -= 1;
  }
  const n = endLonger - start;
  const m = endShorter - start;
  if (m === 0) return n;

  // One row of the DP table, indexed by the shorter string; `diagonal` holds row[i-1][j-1].
  const row = new Uint32Array(m + 1);
  for (let j = 0; j <= m; j += 1) row[j] = j;
  for (let i = 1; i <= n; i += 1) {
    const char = longer[start + i - 1];
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= m; j += 1) {
      const above = row[j] as number;
      const substitution = diagonal + (char === shorter[start + j - 1] ? 0 : 1);
      const insertion = (row[j - 1] as number) + 1;
      row[j] = Math.min(above + 1, insertion, substitution);
      diagonal = above;
    }
  }
  return row[m] as number;
}

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

function codePoints(text: string): number[] {
  const points: number[] = [];
  for (const char of text) points.push(char.codePointAt(0) ?? 0);
  return points;
}
