import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import type { DatasetItem } from "../../lib/datasets/load";
import { scoreAnswer } from "../../lib/runner/run-items";
import { type Cell, type EvalItem, runEvaluation } from "./run-eval";
import { summariseCell } from "./summary";

const image = { data: new Uint8Array(3), width: 1, height: 1 };

function datasetItem(id: string, fields: Partial<DatasetItem> & Pick<DatasetItem, "task">): DatasetItem {
  return { id, imagePath: `/nowhere/${id}.png`, meta: {}, ...fields };
}

const box = [0, 0, 10, 10] as [number, number, number, number];
const document = datasetItem("doc", {
  task: "ocr.document",
  lines: [
    { text: "ACME Ltd", box },
    { text: "Total 12.50", box },
  ],
});
const tenAnswers = ["2", "2", "3", "3", "3", "4", "4", "4", "5", "1"];

/** (item, answer) pairs for every task, the cases where the two definitions used to disagree included. */
const cases: Array<{ name: string; item: DatasetItem; answer: string }> = [
  {
    name: "line, right",
    item: datasetItem("l1", { task: "ocr.line", text: "Total Due" }),
    answer: " Total Due",
  },
  {
    name: "line, space dropped",
    item: datasetItem("l2", { task: "ocr.line", text: "Total Due" }),
    answer: "TotalDue",
  },
  { name: "document, as labelled", item: document, answer: "ACME Ltd\nTotal 12.50" },
  { name: "document, same text split elsewhere", item: document, answer: "ACME Ltd Total\n12.50" },
  { name: "document, other order and blank lines", item: document, answer: "Total 12.50\n\nACME  Ltd" },
  { name: "document, one line misread", item: document, answer: "ACME Ltd\nTotal 12.5O" },
  {
    name: "vqa, 2 of 10 humans",
    item: datasetItem("q", { task: "vqa", question: "?", answers: tenAnswers }),
    answer: "2",
  },
  {
    name: "vqa, 3 of 10 humans",
    item: datasetItem("q", { task: "vqa", question: "?", answers: tenAnswers }),
    answer: "three",
  },
  {
    name: "vqa, nobody",
    item: datasetItem("q", { task: "vqa", question: "?", answers: tenAnswers }),
    answer: "7",
  },
];

/** One item through `npm run eval`'s loop, clean only, the model answering `answer` (or failing). */
async function evalCell(item: DatasetItem, answer: string | Error): Promise<Cell> {
  const evalItem: EvalItem = { ...item, loadImage: async () => image };
  const cells = await runEvaluation(
    { models: ["m"], items: [evalItem], corruptions: [], severities: [], seed: 1 },
    async () => {
      if (answer instanceof Error) throw answer;
      return { answer, latencyMs: 5 };
    },
  );
  assert.equal(cells.length, 1);
  return cells[0] as Cell;
}

describe("drills and eval score an item the same", () => {
  for (const { name, item, answer } of cases) {
    it(name, async () => {
      const drill = scoreAnswer(item, answer);
      assert.ok(drill);
      const cell = await evalCell(item, answer);
      assert.equal(cell.correct, drill.correct ? 1 : 0);
      assert.deepEqual(cell.metricSums, {
        ...(drill.cer === undefined ? {} : { cer: drill.cer }),
        ...(drill.lineF1 === undefined ? {} : { line_f1: drill.lineF1 }),
        ...(drill.vqaAccuracy === undefined ? {} : { vqa_accuracy: drill.vqaAccuracy }),
      });
      // The corpus CER of one item is that item's CER.
      if (drill.cer !== undefined) assert.ok(Math.abs(summariseCell(cell).cer - drill.cer) < 1e-12);
    });
  }

  it("judges the cases by one rule per task", () => {
    const correct = cases.map(({ item, answer }) => scoreAnswer(item, answer)?.correct);
    assert.deepEqual(correct, [true, false, true, false, true, false, false, true, false]);
    const twoOfTen = scoreAnswer(cases[6]?.item as DatasetItem, "2");
    assert.ok(Math.abs((twoOfTen?.vqaAccuracy ?? 0) - 2 / 3) < 1e-12);
    assert.equal(scoreAnswer(document, "ACME Ltd Total\n12.50")?.lineF1, 0);
  });
});

describe("runEvaluation", () => {
  it("counts a failed call as wrong, with every reference character missing", async () => {
    const cell = await evalCell(cases[0]?.item as DatasetItem, new Error("timeout"));
    const summary = summariseCell(cell);
    assert.equal(summary.items, 1);
    assert.equal(summary.errors, 1);
    assert.equal(summary.accuracy, 0);
    assert.equal(summary.cer, 1);
    assert.deepEqual(summary.metrics, { cer: 1 });
    assert.deepEqual(cell.latenciesMs, []);
  });

  it("counts a line right ignoring case and spaces as loose only", async () => {
    const summary = summariseCell(await evalCell(cases[1]?.item as DatasetItem, "TOTALDUE"));
    assert.equal(summary.accuracy, 0);
    assert.equal(summary.accuracyLoose, 1);
  });

  it("refuses items without a reference answer before calling any model", async () => {
    let calls = 0;
    await assert.rejects(
      runEvaluation(
        {
          models: ["m"],
          items: [
            {
              ...datasetItem("q", { task: "vqa", question: "?", answers: [] }),
              loadImage: async () => image,
            },
          ],
          corruptions: [],
          severities: [],
          seed: 1,
        },
        async () => {
          calls += 1;
          return { answer: "x", latencyMs: 1 };
        },
      ),
      (error: unknown) => error instanceof AppError && error.code === "invalid_item",
    );
    assert.equal(calls, 0);
  });
});
