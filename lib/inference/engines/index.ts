// Which engine serves a manifest: the `engine` field names a factory, and each factory validates
// its own `params` (paths relative to the manifest's folder). Adding a model of a known engine is
// a manifest; adding an engine is one entry here.
import path from "node:path";
import { z } from "zod";
import { AppError } from "../../../kernel/errors";
import type { LoadedManifest } from "../../models/manifest";
import type { Engine } from "../types";
import { createOnnxEngine } from "./onnx/engine";
import { OnnxParams } from "./onnx/params";
import { createPpocrDocumentEngine, createPpocrRecEngine } from "./ppocr";
import { PRINTABLE_ASCII } from "./ppocr/dictionary";
import { createTesseractEngine } from "./tesseract/engine";

const Threads = z.number().int().min(1).max(64).optional();

/** `printable-ascii` restricts decoding to Latin-script text (see restrictDictionary). */
const Charset = z.enum(["all", "printable-ascii"]).default("all");
const charsetFilter = (charset: z.infer<typeof Charset>) =>
  charset === "printable-ascii" ? PRINTABLE_ASCII : undefined;

const PpocrRecParams = z.object({ dictionary: z.string().min(1), threads: Threads, charset: Charset });
const PpocrDocumentParams = z.object({
  dictionary: z.string().min(1),
  charset: Charset,
  detModel: z.string().min(1),
  threads: Threads,
  border: z.number().int().min(0).max(256).optional(),
  detThreshold: z.number().min(0).max(1).optional(),
  boxThreshold: z.number().min(0).max(1).optional(),
  unclipRatio: z.number().min(0).max(5).optional(),
  maxSide: z.number().int().min(32).max(4096).optional(),
});
const TesseractParams = z.object({
  mode: z.enum(["line", "document"]),
  lang: z.string().min(1).optional(),
  langPath: z.string().min(1).optional(),
});

type Factory = (loaded: LoadedManifest, resolve: (relative: string) => string) => Promise<Engine>;

const FACTORIES: Record<string, Factory> = {
  "ppocr-rec": (loaded, resolve) => {
    const params = parseParams(loaded, PpocrRecParams);
    return createPpocrRecEngine({
      name: loaded.manifest.name,
      modelPath: requireArtifact(loaded),
      dictPath: resolve(params.dictionary),
      intraOpThreads: params.threads,
      allowedCharacters: charsetFilter(params.charset),
    });
  },
  "ppocr-document": (loaded, resolve) => {
    const { dictionary, detModel, threads, charset, ...tuning } = parseParams(loaded, PpocrDocumentParams);
    return createPpocrDocumentEngine({
      name: loaded.manifest.name,
      detModelPath: resolve(detModel),
      recModelPath: requireArtifact(loaded),
      dictPath: resolve(dictionary),
      intraOpThreads: threads,
      allowedCharacters: charsetFilter(charset),
      ...tuning,
    });
  },
  onnx: (loaded, resolve) =>
    createOnnxEngine({
      name: loaded.manifest.name,
      modelPath: requireArtifact(loaded),
      params: parseParams(loaded, OnnxParams),
      resolve,
    }),
  tesseract: (loaded, resolve) => {
    const params = parseParams(loaded, TesseractParams);
    return createTesseractEngine({
      name: loaded.manifest.name,
      mode: params.mode,
      lang: params.lang,
      langPath: params.langPath ? resolve(params.langPath) : undefined,
      workers: loaded.manifest.serving.concurrency,
    });
  },
};

export const ENGINE_NAMES = Object.keys(FACTORIES);

/** Creates (and warms) the engine a manifest asks for. */
export async function createEngine(loaded: LoadedManifest): Promise<Engine> {
  const factory = FACTORIES[loaded.manifest.engine];
  if (!factory) {
    throw new AppError(
      "unknown_engine",
      `${loaded.file} asks for engine "${loaded.manifest.engine}"; known engines: ${ENGINE_NAMES.join(", ")}.`,
      400,
    );
  }
  return factory(loaded, (relative) => path.resolve(path.dirname(loaded.file), relative));
}

function parseParams<T extends z.ZodType>(loaded: LoadedManifest, schema: T): z.infer<T> {
  const parsed = schema.safeParse(loaded.manifest.params);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `params.${i.path.join(".")} ${i.message}`).join("; ");
  throw new AppError("manifest_invalid", `${loaded.file}: ${problems}.`, 400);
}

function requireArtifact(loaded: LoadedManifest): string {
  if (!loaded.artifactPath) {
    throw new AppError(
      "manifest_invalid",
      `${loaded.file}: engine ${loaded.manifest.engine} needs an "artifact".`,
      400,
    );
  }
  return loaded.artifactPath;
}
