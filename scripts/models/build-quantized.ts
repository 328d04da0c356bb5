// `tsx scripts/models/build-quantized.ts [--check | --update-manifests | --measure]`: places the
// quantised PP-OCRv4 rec variants (models/ppocr-v4-rec-{int8,int6,fp16}/model.onnx) from the fp32
// model, as their manifests prescribe. --check only compares sha256s (exit 1 on any difference);
// --update-manifests records new sha256s after a deliberate change; --measure compares each
// variant with fp32 in ONNX Runtime (closeness on rendered text lines, latency, memory).
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";
import sharp from "sharp";
import { z } from "zod";
import { AppError, describeError } from "../../kernel/errors";
import {
  checkQuantizedModels,
  ensureQuantizedModels,
  findQuantizedVariants,
  updateQuantizedManifests,
} from "../../tooling/quantize/build";
import { decodeModel } from "../../tooling/quantize/quantize";

const USAGE = `Usage: tsx scripts/models/build-quantized.ts [--check | --update-manifests | --measure]
  (none)              build the variants that are missing or stale, print sha256 and size
  --check             exit 1 if a variant is missing or differs from its manifest's sha256
  --update-manifests  rebuild every variant and record its new sha256 in its manifest
  --measure           compare the variants with fp32 in ONNX Runtime (closeness, latency, memory)`;

const Mode = z.enum(["build", "--check", "--update-manifests", "--measure", "--measure-memory"]);
const log = (message: string) => console.log(`▸ ${message}`);

async function run(argv: string[]): Promise<number> {
  const parsed = Mode.safeParse(argv[0] ?? "build");
  if (!parsed.success || (parsed.data !== "--measure-memory" && argv.length > 1)) {
    console.error(`Unknown arguments: ${argv.join(" ")}\n${USAGE}`);
    return 2;
  }
  switch (parsed.data) {
    case "build":
      await ensureQuantizedModels(log);
      return 0;
    case "--update-manifests":
      await updateQuantizedManifests(log);
      return 0;
    case "--check": {
      const statuses = await checkQuantizedModels();
      for (const status of statuses) {
        const state = status.ok
          ? "ok"
          : status.actualSha256
            ? `differs (sha256 ${status.actualSha256})`
            : "missing";
        log(`${status.name}: ${state}; manifest sha256 ${status.expectedSha256}`);
      }
      return statuses.every((status) => status.ok) ? 0 : 1;
    }
    case "--measure":
      await measure();
      return 0;
    case "--measure-memory":
      await measureMemory(z.string().min(1).parse(argv[1]), SettingName.parse(argv[2]));
      return 0;
  }
}

// ——— --measure: the figures of docs/2026-11-29-weight-quantisation.md ———

// Printed text lines (DejaVu Sans through sharp's SVG renderer) stand in for real crops.
const LINES = [
  "Total due: 1,234.56 EUR",
  "Pay before 2026-12-31",
  "Ref 8842-QX",
  "Invoice 2026-11-29 Total: 1,234.56",
  "The quick brown fox jumps over",
  "FAULTLINE chaos drill #42",
  "Order ID: AB-7781-QZ",
  "hello world",
];
const TIMING_ROUNDS = 60;
const MEMORY_REPEATS = 3;
// ONNX Runtime session settings that change how it treats DequantizeLinear on weights.
const SETTINGS = {
  /** As the app creates sessions today. */
  defaults: {},
  /** Lets constant folding fold DequantizeLinear (kept for QDQ fusions otherwise): plain fp32 after load. */
  fold: { "session.disable_quant_qdq": "1" },
  /** Keeps the DQ→MatMulNBits fusion but computes it in fp32 (the default level 4 quantises activations). */
  fp32mm: { "session.qdq_matmulnbits_accuracy_level": "0" },
} satisfies Record<string, Record<string, string>>;
type Setting = keyof typeof SETTINGS;
const SettingName = z.enum(Object.keys(SETTINGS) as [Setting, ...Setting[]]);

interface Candidate {
  label: string;
  file: string;
  setting: Setting;
}

function sessionOptions(setting: Setting): ort.InferenceSession.SessionOptions {
  const entries = Object.entries(SETTINGS[setting]).map(([key, value]) => [
    key.replace(/^session\./, ""),
    value,
  ]);
  return entries.length > 0 ? { extra: { session: Object.fromEntries(entries) } } : {};
}

async function measure(): Promise<void> {
  await ensureQuantizedModels(log);
  const variants = await findQuantizedVariants();
  const first = variants[0];
  if (!first) throw new AppError("quantize_no_variants", "No quantised-model manifests under models/.");
  const candidates: Candidate[] = [
    { label: "fp32", file: first.sourcePath, setting: "defaults" },
    ...variants.flatMap((variant) => {
      const { scheme } = variant.quantization;
      const settings: Setting[] =
        scheme === "fp16"
          ? ["defaults"]
          : scheme === "int8"
            ? ["defaults", "fold", "fp32mm"]
            : ["defaults", "fold"];
      return settings.map((setting) => ({
        label: setting === "defaults" ? scheme : `${scheme}+${setting}`,
        file: variant.artifactPath,
        setting,
      }));
    }),
  ];
  console.log(
    "Session settings: fold = session.disable_quant_qdq=1; fp32mm = session.qdq_matmulnbits_accuracy_level=0",
  );
  const manifest = JSON.parse(await readFile(first.manifestFile, "utf8"));
  const dictionary = await readDictionary(
    path.resolve(path.dirname(first.manifestFile), manifest.params.dictionary),
  );

  const sessions = await Promise.all(
    candidates.map((c) =>
      ort.InferenceSession.create(c.file, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        ...sessionOptions(c.setting),
      }),
    ),
  );
  const inputs = await Promise.all(LINES.map((line) => renderLine(line)));

  console.log(`\nCloseness to fp32 on ${LINES.length} rendered text lines (softmax outputs):`);
  const reference = await runAll(sessions[0] as ort.InferenceSession, inputs);
  for (const [index, candidate] of candidates.entries()) {
    const outputs = await runAll(sessions[index] as ort.InferenceSession, inputs);
    let maxAbsDiff = 0;
    let sumAbsDiff = 0;
    let values = 0;
    let sameFrames = 0;
    let frames = 0;
    let sameTexts = 0;
    outputs.forEach((output, k) => {
      const ref = reference[k] as Output;
      for (let i = 0; i < output.data.length; i += 1) {
        const diff = Math.abs((output.data[i] ?? 0) - (ref.data[i] ?? 0));
        maxAbsDiff = Math.max(maxAbsDiff, diff);
        sumAbsDiff += diff;
      }
      values += output.data.length;
      const best = argmaxFrames(output);
      const refBest = argmaxFrames(ref);
      best.forEach((value, t) => {
        sameFrames += value === refBest[t] ? 1 : 0;
      });
      frames += best.length;
      sameTexts += ctcDecode(best, dictionary) === ctcDecode(refBest, dictionary) ? 1 : 0;
    });
    console.log(
      `  ${candidate.label.padEnd(12)} max|Δp| ${maxAbsDiff.toExponential(2)}  mean|Δp| ${(sumAbsDiff / values).toExponential(2)}  ` +
        `argmax ${sameFrames}/${frames} frames  text ${sameTexts}/${outputs.length} identical`,
    );
  }
  const texts = reference.map((output) => ctcDecode(argmaxFrames(output), dictionary));
  console.log(`  fp32 reads: ${texts.map((t) => JSON.stringify(t)).join(", ")}`);

  console.log(`\nDequantizeLinear after ONNX Runtime ${ort.env.versions.common} graph optimisation:`);
  for (const candidate of candidates.filter((c) => c.label !== "fp32")) {
    console.log(`  ${candidate.label.padEnd(12)} ${await optimisedOps(candidate)}`);
  }

  console.log(`\nLatency, 1×3×48×320, 1 thread, ${TIMING_ROUNDS} interleaved rounds (after 5 warm-up runs):`);
  const timing = await interleavedLatency(sessions);
  const fp32Ms = percentile(timing[0] ?? [], 0.5);
  candidates.forEach((candidate, index) => {
    const times = timing[index] ?? [];
    const p50 = percentile(times, 0.5);
    console.log(
      `  ${candidate.label.padEnd(12)} p50 ${p50.toFixed(2)} ms  p90 ${percentile(times, 0.9).toFixed(2)} ms  ×${(p50 / fp32Ms).toFixed(2)} fp32`,
    );
  });
  await Promise.all(sessions.map((session) => session.release()));

  console.log(`\nResident memory added by one session (own process, median of ${MEMORY_REPEATS}):`);
  for (const candidate of candidates) {
    const samples = Array.from({ length: MEMORY_REPEATS }, () => memorySample(candidate));
    const median = (key: "createMiB" | "runMiB") =>
      percentile(
        samples.map((s) => s[key]),
        0.5,
      ).toFixed(1);
    console.log(
      `  ${candidate.label.padEnd(12)} after load +${median("createMiB")} MiB  after ${TIMING_ROUNDS} runs +${median("runMiB")} MiB`,
    );
  }
}

interface Output {
  data: Float32Array;
  frames: number;
  classes: number;
}

async function runAll(session: ort.InferenceSession, inputs: ort.Tensor[]): Promise<Output[]> {
  const outputs: Output[] = [];
  for (const input of inputs) {
    const result = await session.run({ [session.inputNames[0] as string]: input });
    const tensor = result[session.outputNames[0] as string] as ort.Tensor;
    const [, frames = 0, classes = 0] = tensor.dims;
    outputs.push({ data: tensor.data as Float32Array, frames, classes });
  }
  return outputs;
}

async function interleavedLatency(sessions: ort.InferenceSession[]): Promise<number[][]> {
  const input = await renderLine(LINES[3] as string, 320);
  const feed = (session: ort.InferenceSession) => ({ [session.inputNames[0] as string]: input });
  for (const session of sessions) for (let i = 0; i < 5; i += 1) await session.run(feed(session));
  const times: number[][] = sessions.map(() => []);
  // Round-robin, starting one further each round, so background load hits every variant alike.
  for (let round = 0; round < TIMING_ROUNDS; round += 1) {
    for (let k = 0; k < sessions.length; k += 1) {
      const index = (k + round) % sessions.length;
      const session = sessions[index] as ort.InferenceSession;
      const startedMs = performance.now();
      await session.run(feed(session));
      times[index]?.push(performance.now() - startedMs);
    }
  }
  return times;
}

/** Counts the DequantizeLinear / MatMulNBits nodes ONNX Runtime keeps after optimising. */
async function optimisedOps(candidate: Candidate): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "faultline-ort-"));
  try {
    const optimizedModelFilePath = path.join(dir, "optimised.onnx");
    const session = await ort.InferenceSession.create(candidate.file, {
      optimizedModelFilePath,
      logSeverityLevel: 3,
      ...sessionOptions(candidate.setting),
    });
    await session.release();
    const graph = decodeModel(await readFile(optimizedModelFilePath)).graph;
    const count = (op: string) => (graph?.node ?? []).filter((node) => node.opType === op).length;
    return `DequantizeLinear ${count("DequantizeLinear")}, MatMulNBits ${count("MatMulNBits")}, Cast ${count("Cast")}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function memorySample(candidate: Candidate): { createMiB: number; runMiB: number } {
  const script = fileURLToPath(import.meta.url);
  const args = ["--import", "tsx", script, "--measure-memory", candidate.file, candidate.setting];
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new AppError("measure_failed", `Memory probe failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
}

/** Child process: RSS growth from creating one session, then after warm runs. */
async function measureMemory(file: string, setting: Setting): Promise<void> {
  const input = await renderLine(LINES[3] as string, 320);
  const bytes = await readFile(file);
  const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
  const before = rssMiB();
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    ...sessionOptions(setting),
  });
  const createMiB = rssMiB() - before;
  for (let i = 0; i < TIMING_ROUNDS; i += 1) await session.run({ [session.inputNames[0] as string]: input });
  console.log(JSON.stringify({ createMiB, runMiB: rssMiB() - before }));
}

/** A black-on-white text line at height 48, normalised to [−1, 1] as PP-OCR expects, width a multiple of 8. */
async function renderLine(text: string, width?: number): Promise<ort.Tensor> {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${text.length * 20 + 20}" height="48"><rect width="100%" height="100%" fill="white"/><text x="6" y="34" font-family="DejaVu Sans" font-size="28" fill="black">${escaped}</text></svg>`;
  const cropped = await sharp(Buffer.from(svg))
    .trim({ threshold: 10 })
    .extend({ top: 6, bottom: 6, left: 6, right: 6, background: "white" })
    .png()
    .toBuffer();
  const { data, info } = await sharp(cropped)
    .resize({ height: 48 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const inner = Math.min(info.width, width ?? info.width);
  const padded = width ?? Math.ceil(info.width / 8) * 8;
  const x = new Float32Array(3 * 48 * padded); // zero padding, as PaddleOCR pads after normalising
  for (let c = 0; c < 3; c += 1)
    for (let y = 0; y < 48; y += 1)
      for (let i = 0; i < inner; i += 1)
        x[(c * 48 + y) * padded + i] = ((data[(y * info.width + i) * 3 + c] ?? 0) / 255 - 0.5) / 0.5;
  return new ort.Tensor("float32", x, [1, 3, 48, padded]);
}

async function readDictionary(file: string): Promise<string[]> {
  const lines = (await readFile(file, "utf8")).split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return ["", ...lines, " "]; // class 0 is the CTC blank, the last class a space
}

function argmaxFrames(output: Output): number[] {
  const best: number[] = [];
  for (let t = 0; t < output.frames; t += 1) {
    let top = 0;
    for (let c = 1; c < output.classes; c += 1) {
      if ((output.data[t * output.classes + c] ?? 0) > (output.data[t * output.classes + top] ?? 0)) top = c;
    }
    best.push(top);
  }
  return best;
}

function ctcDecode(best: number[], dictionary: string[]): string {
  return best
    .filter((value, t) => value !== 0 && value !== best[t - 1])
    .map((value) => dictionary[value] ?? "")
    .join("");
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (error) {
    console.error(`✖ ${error instanceof AppError ? error.message : describeError(error)}`);
    process.exitCode = 1;
  }
}

await main();
