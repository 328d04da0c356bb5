// The evaluation loop: every item, clean and under each corruption × severity, through every
// model. Paired by construction: one corrupted image per (item, corruption, severity), fed to all
// models, so differences between models are not differences in luck. Every answer is judged by
// the shared scoreItem, the scorer drills use, so an item is right or wrong by the same rule.
import { applyCorruption, type CorruptionName } from "../../chaos/corruptions";
import type { Severity } from "../../chaos/corruptions/severity";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "../../lib/inference/types";
import {
  cerTexts,
  codePointLength,
  editDistance,
  type ScorableItem,
  scoreFailedRequest,
  scoreItem,
} from "../../lib/metrics/scoring";

/** A dataset item (its task and reference answer) and how to load its image. */
export interface EvalItem extends ScorableItem {
  id: string;
  loadImage(): Promise<RawImage>;
}

export interface ModelAnswer {
  /** The answer text, as a drill receives it (a document engine's lines joined by newlines). */
  answer: string;
  latencyMs: number;
}

export type InferFn = (model: string, image: RawImage) => Promise<ModelAnswer>;

export interface Cell {
  model: string;
  corruption: string;
  severity: number;
  /** Every call; a failed one (`errors`) counts as wrong, end to end, as in drills. */
  items: number;
  errors: number;
  correct: number;
  /** Lines right ignoring case and spaces; other tasks count their `correct` here. */
  correctLoose: number;
  /** Sums for the corpus CER: edit distance and reference characters. */
  editDistance: number;
  referenceChars: number;
  /** Sums of the scorer's continuous scores (cer, line_f1, vqa_accuracy), divided by `items` in the summary. */
  metricSums: Record<string, number>;
  latenciesMs: number[];
}

export interface EvalPlan {
  models: string[];
  items: EvalItem[];
  corruptions: CorruptionName[];
  severities: number[];
  seed: number;
}

export interface Progress {
  done: number;
  total: number;
  cell: string;
}

export async function runEvaluation(
  plan: EvalPlan,
  infer: InferFn,
  onProgress?: (progress: Progress) => void,
): Promise<Cell[]> {
  const conditions: Array<{ corruption: string; severity: number }> = [
    { corruption: "clean", severity: 0 },
    ...plan.corruptions.flatMap((corruption) =>
      plan.severities.map((severity) => ({ corruption, severity })),
    ),
  ];
  // An item without a reference cannot be right or wrong: refuse the set rather than guess.
  const unscorable = plan.items.filter((item) => scoreItem(item, "") === undefined);
  if (unscorable.length > 0) {
    throw new AppError(
      "invalid_item",
      `${unscorable.length} item(s) have no reference answer to score against: ${unscorable
        .slice(0, 5)
        .map((item) => item.id)
        .join(", ")}.`,
      400,
    );
  }
  const cells = new Map<string, Cell>();
  const cellFor = (model: string, corruption: string, severity: number) => {
    const key = `${model}|${corruption}|${severity}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = emptyCell(model, corruption, severity);
      cells.set(key, cell);
    }
    return cell;
  };
  const total = conditions.length * plan.items.length * plan.models.length;
  let done = 0;
  for (const condition of conditions) {
    for (const item of plan.items) {
      const clean = await item.loadImage();
      const image =
        condition.corruption === "clean"
          ? clean
          : await applyCorruption(
              condition.corruption as CorruptionName,
              clean,
              condition.severity as Severity,
              `${plan.seed}:${item.id}`,
            );
      for (const model of plan.models) {
        const cell = cellFor(model, condition.corruption, condition.severity);
        await scoreInto(cell, item, () => infer(model, image));
        done += 1;
        onProgress?.({
          done,
          total,
          cell: `${condition.corruption}${condition.severity ? ` s${condition.severity}` : ""}`,
        });
      }
    }
  }
  return [...cells.values()];
}

/** A cell before any item: every count 0. */
export function emptyCell(model: string, corruption: string, severity: number): Cell {
  return {
    model,
    corruption,
    severity,
    items: 0,
    errors: 0,
    correct: 0,
    correctLoose: 0,
    editDistance: 0,
    referenceChars: 0,
    metricSums: {},
    latenciesMs: [],
  };
}

async function scoreInto(cell: Cell, item: EvalItem, call: () => Promise<ModelAnswer>): Promise<void> {
  cell.items += 1;
  let answer: ModelAnswer | undefined;
  try {
    answer = await call();
  } catch {
    cell.errors += 1;
  }
  if (answer) cell.latenciesMs.push(answer.latencyMs);
  // A failed call scores as an empty answer, wrong: the end-to-end rule drills follow too.
  const score = answer ? scoreItem(item, answer.answer) : scoreFailedRequest(item);
  if (!score) return; // Unreachable: runEvaluation refuses items without a reference.
  if (score.correct) cell.correct += 1;
  if (score.correctLoose ?? score.correct) cell.correctLoose += 1;
  // The corpus CER pools the very texts each item's CER compares.
  const texts = cerTexts(item, answer?.answer ?? "");
  if (texts) {
    const reference = texts.reference.normalize("NFC");
    cell.editDistance += editDistance(texts.prediction.normalize("NFC"), reference);
    cell.referenceChars += codePointLength(reference);
  }
  const metrics = { cer: score.cer, line_f1: score.lineF1, vqa_accuracy: score.vqaAccuracy };
  for (const [name, value] of Object.entries(metrics)) {
    if (value !== undefined) cell.metricSums[name] = (cell.metricSums[name] ?? 0) + value;
  }
}
