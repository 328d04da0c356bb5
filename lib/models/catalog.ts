// The model catalog the API and the Models page show: what is registered (database), how it is
// serving right now (breaker, queue, counters), and how accurate it measured (latest evaluation).
import "server-only";
import { AppError } from "../../kernel/errors";
import type { RobustnessResult } from "../dashboard/robustness";
import { db } from "../db/client";
import type { ModelStatus } from "../inference/model-server";
import { getModelServer } from "../inference/runtime";

export interface AccuracySummary {
  dataset: string;
  corruption: string;
  severity: number;
  items: number;
  accuracy: number;
  accuracyLoose: number;
  cer: number;
  p50Ms: number;
  p99Ms: number;
  evaluatedAt: string;
}

export interface CatalogEntry {
  name: string;
  family: string | null;
  version: string | null;
  task: string;
  role: string;
  engine: string;
  description: string;
  sizeBytes: number | null;
  sha256: string | null;
  serving: ModelStatus | null;
  /** Latest clean-set figures per dataset. */
  accuracy: AccuracySummary[];
  /** Latest figures per dataset × corruption × severity (present on the detail view). */
  robustness?: AccuracySummary[];
}

export async function listCatalog(): Promise<CatalogEntry[]> {
  const [rows, server] = await Promise.all([
    db().modelVersion.findMany({ orderBy: [{ family: "asc" }, { name: "asc" }] }),
    getModelServer(),
  ]);
  const status = new Map(server.status().map((entry) => [entry.name, entry]));
  const accuracy = await latestResults(
    rows.map((row) => row.name),
    true,
  );
  return rows.map((row) => ({
    name: row.name,
    family: row.family,
    version: row.version,
    task: row.task,
    role: row.role,
    engine: row.engine,
    description: String((row.params as { description?: unknown }).description ?? ""),
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    sha256: row.sha256,
    serving: status.get(row.name) ?? null,
    accuracy: accuracy.get(row.name) ?? [],
  }));
}

export async function getModel(name: string): Promise<CatalogEntry> {
  const entry = (await listCatalog()).find((model) => model.name === name);
  if (!entry) throw new AppError("model_not_found", `No model named "${name}" is registered.`, 404);
  return { ...entry, robustness: (await latestResults([name], false)).get(name) ?? [] };
}

/** Accuracy by corruption and severity for every registered model (the Models page's robustness tables). */
export async function listRobustness(): Promise<RobustnessResult[]> {
  const names = (await db().modelVersion.findMany({ select: { name: true } })).map((row) => row.name);
  const results = await latestResults(names, false);
  return [...results.entries()].flatMap(([model, list]) =>
    list.map(({ dataset, corruption, severity, accuracy, items }) => ({
      model,
      dataset,
      corruption,
      severity,
      accuracy,
      items,
    })),
  );
}

/** The newest result per (model, dataset, corruption, severity), grouped by model. */
async function latestResults(models: string[], cleanOnly: boolean): Promise<Map<string, AccuracySummary[]>> {
  if (models.length === 0) return new Map();
  const rows = await db().evalResult.findMany({
    where: {
      modelName: { in: models },
      ...(cleanOnly ? { corruption: "clean" } : {}),
      evalRun: { status: "finished" },
    },
    include: { evalRun: { select: { dataset: true, createdAt: true } } },
    orderBy: { evalRun: { createdAt: "desc" } },
  });
  const seen = new Set<string>();
  const grouped = new Map<string, AccuracySummary[]>();
  for (const row of rows) {
    const key = `${row.modelName}|${row.evalRun.dataset}|${row.corruption}|${row.severity}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = grouped.get(row.modelName) ?? [];
    list.push({
      dataset: row.evalRun.dataset,
      corruption: row.corruption,
      severity: row.severity,
      items: row.items,
      accuracy: row.accuracy,
      accuracyLoose: row.accuracyLoose,
      cer: row.cer,
      p50Ms: row.p50Ms,
      p99Ms: row.p99Ms,
      evaluatedAt: row.evalRun.createdAt.toISOString(),
    });
    grouped.set(row.modelName, list);
  }
  return grouped;
}
