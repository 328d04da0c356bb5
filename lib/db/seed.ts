// Seeds what ships with Faultline: every model manifest under models/ becomes (or updates) a
// ModelVersion row with its artifact's sha256 and size. Idempotent: run on every start.
import path from "node:path";
import { AppError } from "../../kernel/errors";
import { listDatasets } from "../datasets/load";
import { modelsDir, projectRoot } from "../env";
import { fileDigest, loadManifests } from "../models/manifest";
import { createPrismaClient } from "./prisma";

export interface SeedOptions {
  log?: (message: string) => void;
  /** Where the model manifests are; FAULTLINE_MODELS_DIR by default. */
  modelsDir?: string;
  /** Where the datasets are; datasets/ of the project by default. */
  datasetsDir?: string;
}

export async function seedDatabase(databaseUrl: string, options: SeedOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const manifests = await loadManifests(options.modelsDir ?? modelsDir());
  const prisma = createPrismaClient(databaseUrl, 2);
  try {
    for (const { manifest, artifactPath } of manifests) {
      const digest = artifactPath ? await digestOrExplain(manifest.name, artifactPath) : null;
      const fields = {
        family: manifest.family,
        version: manifest.version,
        task: manifest.task,
        role: manifest.role,
        engine: manifest.engine,
        artifact: artifactPath ? path.relative(projectRoot(), artifactPath) : null,
        sha256: digest?.sha256 ?? null,
        sizeBytes: digest ? BigInt(digest.sizeBytes) : null,
        params: { description: manifest.description, ...manifest.params } as object,
      };
      await prisma.modelVersion.upsert({
        where: { name: manifest.name },
        create: { name: manifest.name, ...fields },
        update: fields,
      });
    }
    const datasets = await listDatasets(options.datasetsDir ?? path.join(projectRoot(), "datasets"));
    for (const { dir, manifest } of datasets) {
      const fields = {
        task: manifest.task,
        description: manifest.description,
        location: path.relative(projectRoot(), dir),
        itemCount: manifest.itemCount,
        sha256: manifest.sha256,
      };
      await prisma.dataset.upsert({
        where: { name: manifest.name },
        create: { name: manifest.name, ...fields },
        update: fields,
      });
    }
    log(`Seed: ${plural(manifests.length, "model")} and ${plural(datasets.length, "dataset")} registered`);
  } finally {
    await prisma.$disconnect();
  }
}

async function digestOrExplain(name: string, artifactPath: string) {
  try {
    return await fileDigest(artifactPath);
  } catch {
    throw new AppError("artifact_missing", `The artifact of model ${name} is missing: ${artifactPath}.`, 500);
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
