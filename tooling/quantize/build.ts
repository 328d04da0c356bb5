// Places the quantised model variants: every models/<name>/manifest.json with
// params.quantization is a recipe (source model, scheme) plus the sha256 its output must have.
// The .onnx outputs are build products, not committed; they are rebuilt when missing or stale and
// must then hash to what the manifest records, so every machine serves byte-identical models.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { StartupError } from "../../kernel/errors";
import { projectRoot } from "../../lib/env";
import { fileDigest, type LoadedManifest, loadManifests } from "../../lib/models/manifest";
import {
  DEFAULT_MIN_ELEMENTS,
  decodeModel,
  encodeModel,
  type QuantizeReport,
  quantizeWeights,
} from "./quantize";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a lower-case hex sha256");

/** The params.quantization block of a quantised variant's manifest. */
export const QuantizationParams = z.object({
  scheme: z.enum(["int8", "int6", "fp16"]),
  perChannel: z.boolean(),
  minElements: z.number().int().positive().default(DEFAULT_MIN_ELEMENTS),
  /** The fp32 model, relative to the manifest's folder. */
  source: z.string().min(1),
  sourceSha256: sha256Hex,
  /** What the artifact must hash to. */
  sha256: sha256Hex,
});
export type QuantizationParams = z.infer<typeof QuantizationParams>;

export interface QuantizedVariant {
  name: string;
  manifestFile: string;
  artifactPath: string;
  sourcePath: string;
  quantization: QuantizationParams;
}

export interface VariantStatus {
  name: string;
  artifactPath: string;
  expectedSha256: string;
  /** null when the file is missing. */
  actualSha256: string | null;
  sizeBytes: number | null;
  ok: boolean;
}

export interface BuiltVariant {
  bytes: Uint8Array;
  sha256: string;
  report: QuantizeReport;
}

const noop = () => {};

/**
 * Makes every quantised variant present and identical to its manifest: hash checks only when all
 * are in place; otherwise builds the missing or stale ones (about a second each). Throws a
 * StartupError when the source model changed or a build does not give the recorded sha256.
 */
export async function ensureQuantizedModels(
  log: (message: string) => void = noop,
  options: { modelsDir?: string } = {},
): Promise<void> {
  const variants = await findQuantizedVariants(options.modelsDir);
  const sources = new Map<string, Promise<Uint8Array>>();
  for (const variant of variants) {
    const status = await checkVariant(variant);
    if (status.ok) {
      log(`${variant.name}: up to date (${describeFile(status.sizeBytes ?? 0, status.expectedSha256)})`);
      continue;
    }
    const startedMs = performance.now();
    if (!sources.has(variant.sourcePath)) sources.set(variant.sourcePath, readSource(variant));
    const built = buildVariant(
      await (sources.get(variant.sourcePath) as Promise<Uint8Array>),
      variant.quantization,
    );
    if (built.sha256 !== variant.quantization.sha256) {
      throw new StartupError(
        "quantized_model_mismatch",
        `Building ${variant.name} gave sha256 ${built.sha256}, but ${variant.manifestFile} records ${variant.quantization.sha256}. ` +
          "If the quantisation code changed on purpose, run `tsx scripts/models/build-quantized.ts --update-manifests` and review the new figures.",
      );
    }
    await writeAtomically(variant.artifactPath, built.bytes);
    const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
    const why = status.actualSha256 ? "was stale" : "was missing";
    log(`${variant.name}: built in ${seconds} s, ${why} (${describeFile(built.bytes.length, built.sha256)})`);
  }
}

/** Hash checks only: which variants are missing or differ from their manifests. */
export async function checkQuantizedModels(options: { modelsDir?: string } = {}): Promise<VariantStatus[]> {
  const variants = await findQuantizedVariants(options.modelsDir);
  return Promise.all(variants.map(checkVariant));
}

/**
 * Rebuilds every variant from its recipe, writes the artifacts and records their new sha256 (and
 * the source's) in the manifests. For a deliberate change of the quantisation code.
 */
export async function updateQuantizedManifests(
  log: (message: string) => void = noop,
  options: { modelsDir?: string } = {},
): Promise<Array<{ variant: QuantizedVariant; built: BuiltVariant }>> {
  const variants = await findQuantizedVariants(options.modelsDir);
  const results: Array<{ variant: QuantizedVariant; built: BuiltVariant }> = [];
  for (const variant of variants) {
    const source = await readFile(variant.sourcePath);
    const built = buildVariant(source, variant.quantization);
    await writeAtomically(variant.artifactPath, built.bytes);
    const raw = JSON.parse(await readFile(variant.manifestFile, "utf8"));
    raw.params.quantization.sourceSha256 = sha256(source);
    raw.params.quantization.sha256 = built.sha256;
    await writeFile(variant.manifestFile, `${JSON.stringify(raw, null, 2)}\n`);
    log(`${variant.name}: manifest updated (${describeFile(built.bytes.length, built.sha256)})`);
    results.push({ variant, built });
  }
  return results;
}

/** Quantises a source model per a recipe, in memory. */
export function buildVariant(source: Uint8Array, params: Pick<QuantizationParams, "scheme" | "minElements">) {
  const { model, report } = quantizeWeights(decodeModel(source), {
    scheme: params.scheme,
    minElements: params.minElements,
  });
  const bytes = encodeModel(model);
  return { bytes, sha256: sha256(bytes), report } satisfies BuiltVariant;
}

/** The manifests under models/ that carry a params.quantization recipe, in name order. */
export async function findQuantizedVariants(modelsDir?: string): Promise<QuantizedVariant[]> {
  const loaded = await loadManifests(modelsDir ?? path.join(projectRoot(), "models"));
  return loaded.filter(({ manifest }) => manifest.params.quantization !== undefined).map(toVariant);
}

function toVariant({ manifest, file, artifactPath }: LoadedManifest): QuantizedVariant {
  const parsed = QuantizationParams.safeParse(manifest.params.quantization);
  if (!parsed.success || !artifactPath) {
    const problems = parsed.success
      ? "artifact is not set"
      : parsed.error.issues.map((i) => `params.quantization.${i.path.join(".")} ${i.message}`).join("; ");
    throw new StartupError(
      "manifest_invalid",
      `${file} is not a valid quantised-model manifest: ${problems}`,
    );
  }
  return {
    name: manifest.name,
    manifestFile: file,
    artifactPath,
    sourcePath: path.resolve(path.dirname(file), parsed.data.source),
    quantization: parsed.data,
  };
}

async function checkVariant(variant: QuantizedVariant): Promise<VariantStatus> {
  const digest = existsSync(variant.artifactPath) ? await fileDigest(variant.artifactPath) : null;
  return {
    name: variant.name,
    artifactPath: variant.artifactPath,
    expectedSha256: variant.quantization.sha256,
    actualSha256: digest?.sha256 ?? null,
    sizeBytes: digest?.sizeBytes ?? null,
    ok: digest?.sha256 === variant.quantization.sha256,
  };
}

async function readSource(variant: QuantizedVariant): Promise<Uint8Array> {
  if (!existsSync(variant.sourcePath)) {
    throw new StartupError(
      "quantize_source_missing",
      `The source model of ${variant.name} is missing: ${variant.sourcePath} (run npm install).`,
    );
  }
  const bytes = await readFile(variant.sourcePath);
  const actual = sha256(bytes);
  if (actual !== variant.quantization.sourceSha256) {
    throw new StartupError(
      "quantize_source_changed",
      `The source model of ${variant.name} (${variant.sourcePath}) has sha256 ${actual}, not the ${variant.quantization.sourceSha256} its manifest was built from; ` +
        "re-run `tsx scripts/models/build-quantized.ts --update-manifests` and re-evaluate the variants.",
    );
  }
  return bytes;
}

/** Write then rename, so a concurrent reader never sees half a model. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function describeFile(sizeBytes: number, sha: string): string {
  return `${(sizeBytes / 1e6).toFixed(2)} MB, sha256 ${sha}`;
}
