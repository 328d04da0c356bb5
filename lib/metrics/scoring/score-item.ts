// The one scorer of an answer against a dataset item, shared by drills (lib/runner) and
// `npm run eval` (tooling/eval), so an item is right or wrong by the same rule in both. Per task it
// decides `correct` and reports the continuous scores (CER, line F1, VQA accuracy) beside it.
import { z } from "zod";
import { characterErrorRate, type TextPair } from "./cer";
import { exactMatch, exactMatchLoose } from "./exact-match";
import { lineScore, normaliseLine } from "./lines";
import { vqaMatches } from "./vqa";

export const ScoringTask = z.enum(["ocr.line", "ocr.document", "vqa"]);
export type ScoringTask = z.infer<typeof ScoringTask>;

/** The reference side of an item; a DatasetItem is one. Each task reads the fields it needs. */
export interface ScorableItem {
  task: ScoringTask;
  text?: string;
  lines?: readonly { text: string }[];
  answers?: readonly string[];
}

export interface ItemScore {
  /** Right or wrong, by the task's rule in CORRECT_WHEN: what drills and eval count as accuracy. */
  correct: boolean;
  /** Character error rate (OCR tasks): edit distance / reference length, over the texts in `cerTexts`. */
  cer?: number;
  /** ocr.document: F1 of exactly read lines, in any order. */
  lineF1?: number;
  /** vqa: min(#humans who gave the answer / 3, 1). */
  vqaAccuracy?: number;
  /** ocr.line: right ignoring case and every space (PP-OCRv4 drops spaces under blur); reported, never `correct`. */
  correctLoose?: boolean;
}

/** How `correct` is decided per task, for reports and tooltips. */
export const CORRECT_WHEN: Readonly<Record<ScoringTask, string>> = {
  "ocr.line": "the text equals the reference after trimming",
  "ocr.document": "the page is fully right: every reference line read exactly, nothing else (line F1 = 1)",
  vqa: "at least 3 humans (or all of them, if fewer) gave the answer (VQA accuracy = 1)",
};

/**
 * Scores one answer against one item; undefined when the item has no reference answer. Why each
 * rule: a line is right only as typed (exact match); a page only when it is fully right — eval's
 * headline, order-free and blind to spacing noise, stricter than one joined string would be about
 * line breaks; a VQA answer when it gets full credit (≥ 3 humans), the soft score kept aside.
 */
export function scoreItem(item: ScorableItem, answer: string): ItemScore | undefined {
  if (item.task === "ocr.line") {
    if (item.text === undefined) return undefined;
    return {
      correct: exactMatch(answer, item.text),
      cer: cerOf(cerTexts(item, answer)),
      correctLoose: exactMatchLoose(answer, item.text),
    };
  }
  if (item.task === "ocr.document") {
    const reference = documentLines(item);
    if (reference === undefined) return undefined;
    const lineF1 = lineScore(answer.split("\n"), reference).f1;
    return { correct: lineF1 === 1, cer: cerOf(cerTexts(item, answer)), lineF1 };
  }
  if (item.task === "vqa") {
    const answers = item.answers;
    if (answers === undefined || answers.length === 0) return undefined;
    // The official min(n / 3, 1); a set with fewer than 3 humans needs all of them for full credit.
    const vqaAccuracy = Math.min(1, vqaMatches(answer, answers) / Math.min(3, answers.length));
    return { correct: vqaAccuracy === 1, vqaAccuracy };
  }
  return undefined;
}

/**
 * A request that failed (error, timeout, no answer) scored end to end: wrong, and as an empty
 * answer for the continuous scores (every reference character missing, F1 and accuracy 0).
 */
export function scoreFailedRequest(item: ScorableItem): ItemScore | undefined {
  const empty = scoreItem(item, "");
  if (empty === undefined) return undefined;
  const failed: ItemScore = { ...empty, correct: false };
  if (failed.correctLoose !== undefined) failed.correctLoose = false;
  if (failed.lineF1 !== undefined) failed.lineF1 = 0;
  if (failed.vqaAccuracy !== undefined) failed.vqaAccuracy = 0;
  return failed;
}

/**
 * The two texts an item's CER compares, so a corpus CER pools the same distances: a line trimmed
 * (as exact match is); a page as its non-blank normalised lines in reading order. None for VQA.
 */
export function cerTexts(item: ScorableItem, answer: string): TextPair | undefined {
  if (item.task === "ocr.line" && item.text !== undefined) {
    return { prediction: answer.trim(), reference: item.text.trim() };
  }
  const reference = item.task === "ocr.document" ? documentLines(item) : undefined;
  if (reference === undefined) return undefined;
  const joined = (texts: readonly string[]) => texts.map(normaliseLine).filter(Boolean).join("\n");
  return { prediction: joined(answer.split("\n")), reference: joined(reference) };
}

function documentLines(item: ScorableItem): string[] | undefined {
  return item.lines?.map((line) => line.text) ?? item.text?.split("\n");
}

function cerOf(pair: TextPair | undefined): number | undefined {
  return pair === undefined ? undefined : characterErrorRate(pair.prediction, pair.reference);
}
