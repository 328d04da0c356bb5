// Levenshtein distance over Unicode code points: the scorers' CER (lib/metrics/scoring/cer.ts)
// and the text-typo corruption's tests (chaos/corruptions) measure with the same ruler.

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

function codePoints(text: string): number[] {
  const points: number[] = [];
  for (const char of text) points.push(char.codePointAt(0) ?? 0);
  return points;
}
