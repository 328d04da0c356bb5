// A model version is described by data, not code: models/<name>/manifest.json. The registry,
// the seed and the inference engines all read manifests through this one schema.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../../kernel/errors";

/** How a model is served: bounded concurrency and queue, a deadline, and a circuit breaker. */
export const ServingConfig = z.object({
  /** Inference calls running at once (an ORT session slows down past a few). */
  concurrency: z.number().int().min(1).max(64).default(1),
  /** Requests waiting for a slot; one more is shed with 429. */
  queueSize: z.number().int().min(0).max(10_000).default(32),
  /** Default deadline from arrival to answer; past it the caller gets 504 (or the fallback). */
  timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
  breaker: z
    .object({
      /** Failure percentage over the rolling window that opens the breaker. */
      errorThresholdPercentage: z.number().min(1).max(100).default(50),
      /** Requests in the window before the breaker may open. */
      volumeThreshold: z.number().int().min(1).default(10),
      /** Time the breaker stays open before letting one request through. */
      resetTimeoutMs: z.number().int().min(100).default(10_000),
    })
    .default({ errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 10_000 }),
});
export type ServingConfig = z.infer<typeof ServingConfig>;

export const ModelManifest = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be lower-case letters, digits, '.', '_' or '-'"),
  family: z.string().min(1),
  version: z.string().min(1),
  task: z.string().min(1),
  role: z.enum(["candidate", "baseline", "fallback"]).default("baseline"),
  /** Which inference engine serves it (an ONNX pipeline, tesseract, an external endpoint…). */
  engine: z.string().min(1),
  description: z.string().default(""),
  /** Path of the main artifact, relative to the manifest's folder or the project root. */
  artifact: z.string().min(1).optional(),
  /** Engine-specific pre/post-processing parameters (each engine validates its own). */
  params: z.record(z.string(), z.unknown()).default({}),
  /** The model that answers (marked degraded) when this one fails, times out or its breaker is open. */
  fallback: z.string().optional(),
  serving: ServingConfig.default(ServingConfig.parse({})),
});
export type ModelManifest = z.infer<typeof ModelManifest>;

export interface LoadedManifest {
  manifest: ModelManifest;
  file: string;
  artifactPath: string | null;
}

/** Reads and validates every models/<name>/manifest.json; a bad manifest is an error naming it. */
export async function loadManifests(modelsDir: string): Promise<LoadedManifest[]> {
  if (!existsSync(modelsDir)) return [];
  const entries = await readdir(modelsDir, { withFileTypes: true });
  const loaded: LoadedManifest[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(modelsDir, entry.name, "manifest.json");
    if (!existsSync(file)) continue;
    loaded.push(await loadManifest(file));
  }
  return loaded;
}

export async function loadManifest(file: string): Promise<LoadedManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new AppError("manifest_invalid", `${file} is not valid JSON: ${(error as Error).message}`, 400);
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(root)"} ${i.message}`)
      .join("; ");
    throw new AppError("manifest_invalid", `${file} is not a valid model manifest: ${problems}`, 400);
  }
  const manifest = parsed.data;
  return {
    manifest,
    file,
    artifactPath: manifest.artifact ? path.resolve(path.dirname(file), manifest.artifact) : null,
  };
}

export async function fileDigest(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest("hex"), sizeBytes: (await stat(file)).size };
}
