// The generic ONNX engine (`"engine": "onnx"`): any image model whose pre- and post-processing the
// manifest can describe (params.ts) — classifiers (answer: the top label) and CTC text
// recognisers (answer: the decoded text). One session per model, created once.
import { readFile } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import type { Engine, EngineOutput, InferenceInput } from "../../types";
import { decodeCtcGreedy } from "../ppocr/ctc";
import { loadDictionary } from "../ppocr/dictionary";
import type { OnnxParams } from "./params";
import { toInputTensor } from "./preprocess";

export interface OnnxEngineOptions {
  name: string;
  modelPath: string;
  params: OnnxParams;
  /** Resolves files named in params (labels, dictionary) against the manifest's folder. */
  resolve: (relative: string) => string;
}

export async function createOnnxEngine(options: OnnxEngineOptions): Promise<Engine> {
  const { params } = options;
  const session = await InferenceSession.create(options.modelPath, {
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    interOpNumThreads: 1,
    ...(params.threads ? { intraOpNumThreads: params.threads } : {}),
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  });
  const inputName = params.input.name ?? session.inputNames[0] ?? "x";
  const decode = await outputDecoder(params, options.resolve);
  return {
    name: options.name,
    async infer(input: InferenceInput): Promise<EngineOutput> {
      const tensor = await toInputTensor(input.image, params.input);
      const started = performance.now();
      const results = await session.run({ [inputName]: new Tensor("float32", tensor.data, tensor.dims) });
      const inferMs = performance.now() - started;
      const output = results[session.outputNames[0] ?? ""];
      if (!output) throw new Error(`${options.name} returned no output named ${session.outputNames[0]}.`);
      return { ...decode(output.data as Float32Array, output.dims as number[]), inferMs };
    },
    close: () => session.release(),
  };
}

type Decoder = (data: Float32Array, dims: number[]) => { answer: string; confidence: number };

async function outputDecoder(params: OnnxParams, resolve: (relative: string) => string): Promise<Decoder> {
  const output = params.output;
  if (output.kind === "ctc") {
    const dictionary = await loadDictionary(resolve(output.dictionary));
    return (data, dims) => {
      const [, timeSteps, classes] = dims as [number, number, number];
      const decoded = decodeCtcGreedy(data, timeSteps, classes, dictionary);
      return { answer: decoded.text, confidence: decoded.confidence };
    };
  }
  const labels =
    typeof output.labels === "string"
      ? (await readFile(resolve(output.labels), "utf8"))
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
      : output.labels;
  return (data) => {
    const scores = Array.from(data.subarray(0, labels.length));
    const probabilities = output.softmax ? softmax(scores) : scores;
    let best = 0;
    for (let i = 1; i < probabilities.length; i += 1)
      if ((probabilities[i] ?? 0) > (probabilities[best] ?? 0)) best = i;
    return { answer: labels[best] ?? String(best), confidence: probabilities[best] ?? 0 };
  };
}

function softmax(values: number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}
