// The evaluation loop: every item, clean and under each corruption × severity, through every
// model. Paired by construction: one corrupted image per (item, corruption, severity), fed to all
// models, so differences between models are not differences in luck.
import { applyCorruption, type CorruptionName } from "../../chaos/corruptions";
import type { Severity } from "../../chaos/corruptions/severity";
import type { RawImage } from "../inference/types";
import { editDistance, type ScoringTask, scoreItem } from "../metrics/scoring";

export interface EvalItem {
  id: string;
  task: ScoringTask;
  reference: { text?: string; lines?: { text: string }[]; answers?: string[] };
  loadImage(): Promise<RawImage>;
}

export interface ModelAnswer {
  answer: string;
  lines?: { text: string }[];
  latencyMs: number;
}

export type InferFn = (model: string, image: RawImage) => Promise<ModelAnswer>;

export interface Cell {
  model: string;
  corruption: string;
  severity: number;
  items: number;
  errors: number;
  correct: number;
  correctLoose: number;
  /** Sums for the corpus CER: edit distance and reference characters. */
  editDistance: number;
  referenceChars: number;
  /** Sums of every metric the scorer reports, divided by `items` in the summary. */
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

function emptyCell(model: string, corruption: string, severity: number): Cell {
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
  const reference = referenceText(item);
  let answer: ModelAnswer;
  try {
    answer = await call();
  } catch {
    // A failed call scores as an empty answer: wrong, with every reference character missing.
    cell.errors += 1;
    cell.editDistance += [...reference].length;
    cell.referenceChars += [...reference].length;
    return;
  }
  cell.latenciesMs.push(answer.latencyMs);
  const score = scoreItem(item.task, { answer: answer.answer, lines: answer.lines }, item.reference);
  if (score.correct) cell.correct += 1;
  if ((score.metrics.exact_loose ?? score.score) >= 1) cell.correctLoose += 1;
  cell.editDistance += editDistance(answer.answer.normalize("NFC"), reference.normalize("NFC"));
  cell.referenceChars += [...reference].length;
  for (const [name, value] of Object.entries(score.metrics)) {
    cell.metricSums[name] = (cell.metricSums[name] ?? 0) + value;
  }
}

/** The text a CER is computed against: the line, or a document's lines in reading order. */
function referenceText(item: EvalItem): string {
  if (item.reference.text !== undefined) return item.reference.text;
  if (item.reference.lines) return item.reference.lines.map((line) => line.text).join("\n");
  return item.reference.answers?.[0] ?? "";
}
