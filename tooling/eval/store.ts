// Keeps evaluations in PostgreSQL: one EvalRun row per `npm run eval`, one EvalResult per cell,
// so the API and the Models page show each model's latest accuracy, clean and corrupted.
import { createPrismaClient } from "../../lib/db/prisma";
import type { EvalOptions } from "./options";
import type { CellSummary, CorruptionErrors } from "./summary";

export interface EvalRecord {
  id: string;
  finish(results: CellSummary[], errors: CorruptionErrors[]): Promise<void>;
  fail(reason: string): Promise<void>;
}

export async function startEvalRecord(
  databaseUrl: string,
  options: EvalOptions,
  dataset: { name: string; sha256: string; items: number },
): Promise<EvalRecord> {
  const prisma = createPrismaClient(databaseUrl, 2);
  const run = await prisma.evalRun.create({
    data: {
      dataset: dataset.name,
      datasetSha256: dataset.sha256,
      corruptions: options.corruptions,
      severities: options.severities,
      seed: BigInt(options.seed),
      itemCount: dataset.items,
      baseline: options.baseline ?? options.models[0] ?? null,
    },
  });
  return {
    id: run.id,
    async finish(results, errors) {
      const versions = await prisma.modelVersion.findMany({ where: { name: { in: options.models } } });
      const versionId = new Map(versions.map((version) => [version.name, version.id]));
      await prisma.$transaction([
        prisma.evalResult.createMany({
          data: results.map((result) => ({
            evalRunId: run.id,
            modelName: result.model,
            modelVersionId: versionId.get(result.model) ?? null,
            corruption: result.corruption,
            severity: result.severity,
            items: result.items,
            errors: result.errors,
            correct: result.correct,
            correctLoose: result.correctLoose,
            accuracy: result.accuracy,
            accuracyLoose: result.accuracyLoose,
            cer: result.cer,
            metrics: result.metrics,
            p50Ms: result.p50Ms,
            p99Ms: result.p99Ms,
          })),
        }),
        prisma.evalRun.update({
          where: { id: run.id },
          data: {
            status: "finished",
            finishedAt: new Date(),
            summary: { corruptionErrors: errors } as object,
          },
        }),
      ]);
      await prisma.$disconnect();
    },
    async fail(reason) {
      await prisma.evalRun.update({
        where: { id: run.id },
        data: { status: "failed", finishedAt: new Date(), summary: { error: reason } },
      });
      await prisma.$disconnect();
    },
  };
}
