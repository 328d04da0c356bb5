// Seeds what ships with Faultline: every model manifest under models/ becomes (or updates) a
// ModelVersion row with its artifact's sha256 and size. Idempotent: run on every start.
import path from "node:path";
import { projectRoot } from "../env";
import { AppError } from "../errors";
import { fileDigest, loadManifests } from "../models/manifest";
import { createPrismaClient } from "./prisma";

export interface SeedOptions {
  log?: (message: string) => void;
  /** Where the model manifests are; models/ of the project by default. */
  modelsDir?: string;
}

export async function seedDatabase(databaseUrl: string, options: SeedOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const manifests = await loadManifests(options.modelsDir ?? path.join(projectRoot(), "models"));
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
    log(`Seed: ${manifests.length} model manifest${manifests.length === 1 ? "" : "s"} registered`);
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
