// Scoring by task: which metrics a task reports, which one is primary, and when an answer counts as
// correct (the bit the recorder counts into correct/scored). Pure functions of (prediction, item).
import { z } from "zod";
import { AppError } from "../../errors";
import { characterErrorRate } from "./cer";
import { exactMatch, exactMatchLoose } from "./exact-match";
import { lineScore, normaliseLine } from "./lines";
import { vqaAccuracy, vqaMatches } from "./vqa";

export { characterErrorRate, corpusCer, editDistance } from "./cer";
export { exactMatch, exactMatchLoose } from "./exact-match";
export { type LineCriterion, type LineScore, lineScore } from "./lines";
export { chosenIndex, multipleChoiceCorrect } from "./multiple-choice";
export { hitAtK, recallAtK } from "./recall-at-k";
export { normaliseVqaAnswer, vqaAccuracy, vqaAccuracySimple } from "./vqa";

export const ScoringTask = z.enum(["ocr.line", "ocr.document", "vqa"]);
export type ScoringTask = z.infer<typeof ScoringTask>;

/** The reference side of a dataset item; each task reads the fields it needs. */
export const ScoringItem = z.object({
  text: z.string().optional(),
  lines: z.array(z.object({ text: z.string() })).optional(),
  answers: z.array(z.string()).optional(),
});
export type ScoringItem = z.infer<typeof ScoringItem>;

/** A model's answer: its text, or an engine's output with recognised lines for documents. */
export type Prediction = string | { answer: string; lines?: readonly { text: string }[] };

export interface ItemScore {
  /** Every metric the task reports, by name (`exact`, `cer`, …). */
  metrics: Record<string, number>;
  /** The name of the primary metric. */
  primary: string;
  /** The primary metric's value, in [0, 1], higher is better. */
  score: number;
  correct: boolean;
}

export interface Scorer {
  readonly task: ScoringTask;
  readonly metrics: readonly string[];
  readonly primary: string;
  /** How `correct` is decided, for reports and the dashboard's tooltips. */
  readonly correctWhen: string;
  score(prediction: Prediction, item: ScoringItem): ItemScore;
}

const ocrLine: Scorer = {
  task: "ocr.line",
  metrics: ["exact", "exact_loose", "cer"],
  primary: "exact",
  correctWhen: "the text equals the reference after trimming",
  score(prediction, item) {
    const reference = requireField(item.text, "ocr.line", "text");
    const answer = answerText(prediction);
    const exact = exactMatch(answer, reference) ? 1 : 0;
    return {
      metrics: {
        exact,
        exact_loose: exactMatchLoose(answer, reference) ? 1 : 0,
        cer: characterErrorRate(answer.trim(), reference.trim()),
      },
      primary: "exact",
      score: exact,
      correct: exact === 1,
    };
  },
};

const ocrDocument: Scorer = {
  task: "ocr.document",
  metrics: ["line_f1", "line_precision", "line_recall", "cer"],
  primary: "line_f1",
  correctWhen: "every reference line is read exactly and nothing else is (line F1 = 1)",
  score(prediction, item) {
    const reference =
      item.lines?.map((line) => line.text) ??
      requireField(item.text, "ocr.document", "lines or text").split("\n");
    const predicted =
      typeof prediction === "string" || prediction.lines === undefined
        ? answerText(prediction).split("\n")
        : prediction.lines.map((line) => line.text);
    const lines = lineScore(predicted, reference);
    // CER over the whole page in reading order, blank lines and spacing noise removed.
    const joined = (texts: string[]) => texts.map(normaliseLine).filter(Boolean).join("\n");
    return {
      metrics: {
        line_f1: lines.f1,
        line_precision: lines.precision,
        line_recall: lines.recall,
        cer: characterErrorRate(joined(predicted), joined(reference)),
      },
      primary: "line_f1",
      score: lines.f1,
      correct: lines.f1 === 1,
    };
  },
};

const vqa: Scorer = {
  task: "vqa",
  metrics: ["vqa_accuracy"],
  primary: "vqa_accuracy",
  correctWhen: "at least 3 humans (or all of them, if fewer) gave the answer",
  score(prediction, item) {
    const answers = requireField(item.answers, "vqa", "answers");
    const answer = answerText(prediction);
    const accuracy = vqaAccuracy(answer, answers);
    return {
      metrics: { vqa_accuracy: accuracy },
      primary: "vqa_accuracy",
      score: accuracy,
      correct: vqaMatches(answer, answers) >= Math.min(3, answers.length),
    };
  },
};

export const SCORERS: Readonly<Record<ScoringTask, Scorer>> = {
  "ocr.line": ocrLine,
  "ocr.document": ocrDocument,
  vqa,
};

/** Scores one answer against one dataset item with the task's scorer. */
export function scoreItem(task: ScoringTask, prediction: Prediction, item: ScoringItem): ItemScore {
  const scorer = ScoringTask.safeParse(task).success ? SCORERS[task] : undefined;
  if (!scorer) {
    throw new AppError("unknown_task", `No scorer for the task "${String(task)}".`, 400, {
      known: ScoringTask.options,
    });
  }
  return scorer.score(prediction, item);
}

function answerText(prediction: Prediction): string {
  return typeof prediction === "string" ? prediction : prediction.answer;
}

function requireField<T>(value: T | undefined, task: ScoringTask, field: string): T {
  if (value === undefined) {
    throw new AppError("invalid_item", `A ${task} item needs ${field} to be scored.`, 400);
  }
  return value;
}
