// `npm run eval -- --models a,b,c --dataset textline-v1 --corruptions all --json out.json`:
// every model on the dataset, clean and under each corruption × severity, with a progress bar,
// a summary table, mCE against a baseline, the results stored in PostgreSQL, and a JSON report.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { AppError, describeError } from "../kernel/errors";
import { loadDataset, readImage } from "../lib/datasets/load";
import { applyMigrations } from "../lib/db/migrations";
import { openDatabase } from "../lib/db/postgres";
import { seedDatabase } from "../lib/db/seed";
import { EnvError, modelsDir, projectRoot } from "../lib/env";
import { ModelServer } from "../lib/inference/model-server";
import { CORRECT_WHEN, type ScoringTask } from "../lib/metrics/scoring";
import { loadManifests } from "../lib/models/manifest";
import { parseEvalArgs } from "../tooling/eval/options";
import { type EvalItem, type Progress, runEvaluation } from "../tooling/eval/run-eval";
import { startEvalRecord } from "../tooling/eval/store";
import {
  type CellSummary,
  type CorruptionErrors,
  corruptionErrors,
  summariseCell,
} from "../tooling/eval/summary";
import { ensureQuantizedModels } from "../tooling/quantize/build";

const log = (message: string) => console.error(`▸ ${message}`);

async function main(): Promise<void> {
  const options = parseEvalArgs(process.argv.slice(2));
  const root = projectRoot();
  const dataset = await loadDataset(path.join(root, "datasets", options.dataset));
  const items = dataset.items.slice(0, options.limit ?? dataset.items.length);
  const manifests = (await loadManifests(modelsDir())).filter((loaded) =>
    options.models.includes(loaded.manifest.name),
  );
  const missing = options.models.filter((name) => !manifests.some((loaded) => loaded.manifest.name === name));
  if (missing.length > 0)
    throw new AppError("model_not_found", `No manifest for ${missing.join(", ")} under ${modelsDir()}.`, 404);
  const wrongTask = manifests.filter((loaded) => loaded.manifest.task !== dataset.manifest.task);
  if (wrongTask.length > 0) {
    throw new AppError(
      "task_mismatch",
      `${dataset.manifest.name} is a ${dataset.manifest.task} dataset, but ${wrongTask.map((l) => `${l.manifest.name} does ${l.manifest.task}`).join(", ")}.`,
      400,
    );
  }

  const database = await openDatabase({ log });
  try {
    await applyMigrations({
      databaseUrl: database.url,
      migrationsDir: path.join(root, "prisma", "migrations"),
    });
    await ensureQuantizedModels(log, { modelsDir: modelsDir() });
    await seedDatabase(database.url, { log });
    const server = await ModelServer.load(manifests, log);
    const baseline = options.baseline ?? (options.models[0] as string);
    const record = await startEvalRecord(database.url, options, {
      name: dataset.manifest.name,
      sha256: dataset.manifest.sha256,
      items: items.length,
    });
    try {
      const evalItems: EvalItem[] = items.map((item) => ({ ...item, loadImage: () => readImage(item) }));
      log(
        `Evaluating ${options.models.join(", ")} on ${dataset.manifest.name} (${items.length} items), ` +
          `${options.corruptions.length === 0 ? "clean only" : `clean + ${options.corruptions.length} corruptions × severities ${options.severities.join(",")}`}`,
      );
      const progress = progressReporter();
      const cells = await runEvaluation(
        {
          models: options.models,
          items: evalItems,
          corruptions: options.corruptions,
          severities: options.severities,
          seed: options.seed,
        },
        async (model, image) => {
          const started = performance.now();
          // Deadlines are for serving; an evaluation waits as long as a model needs.
          const served = await server.infer(model, { image }, { timeoutMs: 600_000 });
          return { answer: served.answer, latencyMs: performance.now() - started };
        },
        progress.update,
      );
      progress.stop();
      const summaries = cells.map(summariseCell);
      const errors =
        options.corruptions.length === 0
          ? []
          : options.models.map((model) => corruptionErrors(summaries, model, baseline));
      await record.finish(summaries, errors);
      printTable(summaries, dataset.manifest.task);
      printCorruptionErrors(errors);
      if (options.json) {
        const report = {
          evalRunId: record.id,
          dataset: dataset.manifest.name,
          options,
          results: summaries,
          corruptionErrors: errors,
        };
        await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
        log(`Report written to ${options.json}`);
      }
      log(`Stored as evaluation ${record.id}`);
    } catch (error) {
      await record.fail(describeError(error));
      throw error;
    } finally {
      await server.close();
    }
  } finally {
    await database.close();
  }
}

function progressReporter() {
  const started = Date.now();
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: "  {bar} {percentage}% | {value}/{total} calls | {cell} | eta {eta_formatted}",
      stream: process.stderr,
      hideCursor: true,
    });
    let begun = false;
    return {
      update: ({ done, total, cell }: Progress) => {
        if (!begun) {
          bar.start(total, 0, { cell });
          begun = true;
        }
        bar.update(done, { cell });
      },
      stop: () => bar.stop(),
    };
  }
  let lastPercent = -1;
  return {
    update: ({ done, total, cell }: Progress) => {
      const percent = Math.floor((done / total) * 20) * 5;
      if (percent !== lastPercent) {
        lastPercent = percent;
        console.error(
          `  ${percent}% (${done}/${total} calls, ${cell}, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    },
    stop: () => {},
  };
}

function printTable(rows: CellSummary[], task: ScoringTask): void {
  const pct = (value: number, digits = 1) => `${(value * 100).toFixed(digits)}%`;
  const header = [
    "model",
    "corruption",
    "sev",
    "items",
    "correct",
    "loose",
    "CER",
    "P50 ms",
    "P99 ms",
    "errors",
  ];
  const body = rows
    .sort(
      (a, b) =>
        a.model.localeCompare(b.model) || a.corruption.localeCompare(b.corruption) || a.severity - b.severity,
    )
    .map((row) => [
      row.model,
      row.corruption,
      String(row.severity),
      String(row.items),
      pct(row.accuracy),
      pct(row.accuracyLoose),
      pct(row.cer, 2),
      row.p50Ms.toFixed(1),
      row.p99Ms.toFixed(1),
      String(row.errors),
    ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((cells) => (cells[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join("  ");
  console.log(`\n${line(header)}`);
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const cells of body) console.log(line(cells));
  // The same rule drills count as accuracy; a failed call (errors) is wrong.
  console.log(`\ncorrect: ${CORRECT_WHEN[task]}; a failed call counts as wrong.`);
}

function printCorruptionErrors(errors: CorruptionErrors[]): void {
  if (errors.length === 0) return;
  const fmt = (value: number | null) => (value === null ? "n/a" : value.toFixed(3));
  console.log(`\nCorruption errors against ${errors[0]?.baseline} (lower is better; the baseline is 1.000)`);
  for (const entry of errors) {
    console.log(`  ${entry.model.padEnd(24)} mCE ${fmt(entry.mCE)}  relative mCE ${fmt(entry.relativeMCE)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Mistakes a user can fix are one sentence; anything else is a bug and keeps its stack.
    console.error(error instanceof AppError || error instanceof EnvError ? `✖ ${error.message}` : error);
    process.exit(1);
  },
);
