// Weight-only quantisation of an ONNX model decoded with onnx-proto: large Conv/MatMul/Gemm weights
// become INT8 tensors with per-channel scales behind a DequantizeLinear node, or FLOAT16 tensors
// behind a Cast, so the graph still computes in fp32. Pure and deterministic: the same model and
// options give byte-identical output (names derive from tensor names, graph order is kept).

import type { onnx as Onnx } from "onnx-proto";
import onnxProto from "onnx-proto";
import { AppError } from "../../kernel/errors";

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

export type QuantScheme = "int8" | "int6" | "fp16";

export interface QuantizeOptions {
  scheme: QuantScheme;
  /** Weights with fewer elements stay fp32: there is little to save on them. */
  minElements?: number;
}

export const DEFAULT_MIN_ELEMENTS = 1024;
/** Largest quantised magnitude: symmetric levels −max…max, stored in INT8 containers. */
export const MAX_LEVEL: Record<"int8" | "int6", number> = { int8: 127, int6: 31 };
/** DequantizeLinear gained its `axis` attribute (per-channel scales) in opset 13. */
export const PER_CHANNEL_OPSET = 13;

export interface QuantizedTensor {
  name: string;
  dims: number[];
  /** Operator types that read the weight. */
  consumers: string[];
  /** Axis of the per-channel scales (the consumer's output-channel axis); null for fp16. */
  axis: number | null;
  elements: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Largest |original − dequantised| over the tensor. */
  maxAbsError: number;
  /** Largest |original| over the tensor (to put maxAbsError in proportion). */
  maxAbs: number;
}

export interface QuantizeReport {
  scheme: QuantScheme;
  minElements: number;
  opsetBefore: number;
  opsetAfter: number;
  tensors: QuantizedTensor[];
  /** Weights of Conv/MatMul/Gemm left in fp32, and why. */
  skipped: { name: string; reason: string }[];
  /** Payload bytes of the quantised tensors before and after (scales included). */
  bytesBefore: number;
  bytesAfter: number;
}

export function decodeModel(bytes: Uint8Array): Onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: Onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Returns a quantised copy of `model` (the argument is not modified) and what was done. */
export function quantizeWeights(
  source: Onnx.IModelProto,
  options: QuantizeOptions,
): { model: Onnx.ModelProto; report: QuantizeReport } {
  const minElements = options.minElements ?? DEFAULT_MIN_ELEMENTS;
  const model = decodeModel(encodeModel(source));
  const graph = model.graph;
  if (!graph) throw new AppError("quantize_invalid_model", "The model has no graph.", 400);
  const opsetBefore = defaultOpset(model);
  const quantisable = (w: Weight) => !w.blocker && w.elements >= minElements;
  // Raise the opset only when a weight will get a per-channel DequantizeLinear. Before finding
  // the weights for real: the upgrade may insert nodes, which shifts node indices.
  if (options.scheme !== "fp16" && opsetBefore < PER_CHANNEL_OPSET && findWeights(graph).some(quantisable))
    upgradeOpset(model, PER_CHANNEL_OPSET);
  const names = createNameAllocator(graph);

  const report: QuantizeReport = {
    scheme: options.scheme,
    minElements,
    opsetBefore,
    opsetAfter: defaultOpset(model),
    tensors: [],
    skipped: [],
    bytesBefore: 0,
    bytesAfter: 0,
  };
  const candidates = findWeights(graph);
  const newNodesFront: Onnx.INodeProto[] = [];
  const replacedConstants = new Map<number, Onnx.INodeProto>();
  const newInitializers = new Map<number, Onnx.ITensorProto[]>();
  const appendedInitializers: Onnx.ITensorProto[] = [];

  for (const weight of candidates) {
    const values = quantisable(weight) ? readFloats(weight.tensor) : null;
    const problem = values ? valueProblem(values, options.scheme) : weight.blocker;
    if (!values || problem) {
      const reason = problem ?? `${weight.elements} elements < ${minElements}`;
      report.skipped.push({ name: weight.name, reason });
      continue;
    }
    const { tensors, node, entry } =
      options.scheme === "fp16"
        ? toFloat16(weight, values, names)
        : toInt(weight, values, MAX_LEVEL[options.scheme], names);
    report.tensors.push(entry);
    report.bytesBefore += entry.bytesBefore;
    report.bytesAfter += entry.bytesAfter;
    if (weight.source.kind === "constant") {
      replacedConstants.set(weight.source.index, node);
      appendedInitializers.push(...tensors);
    } else {
      newInitializers.set(weight.source.index, tensors);
      newNodesFront.push(node);
    }
  }

  graph.initializer = [
    ...(graph.initializer ?? []).flatMap((tensor, index) => newInitializers.get(index) ?? [tensor]),
    ...appendedInitializers,
  ].map((tensor) => onnx.TensorProto.create(tensor));
  graph.node = [
    ...newNodesFront,
    ...(graph.node ?? []).map((node, index) => replacedConstants.get(index) ?? node),
  ].map((node) => onnx.NodeProto.create(node));
  return { model, report };
}

// ——— Finding weights ———

interface Weight {
  name: string;
  tensor: Onnx.ITensorProto;
  source: { kind: "initializer" | "constant"; index: number };
  dims: number[];
  elements: number;
  consumers: { op: string; axis: number | null }[];
  /** Why the weight cannot be quantised whatever its size, if it cannot. */
  blocker: string | null;
}

const WEIGHT_OPS = new Set(["Conv", "MatMul", "Gemm"]);

/** Float tensors (initializers or Constant nodes) read by Conv/MatMul/Gemm as weights. */
function findWeights(graph: Onnx.IGraphProto): Weight[] {
  const nodes = graph.node ?? [];
  const consumers = new Map<string, { node: Onnx.INodeProto; input: number }[]>();
  for (const node of nodes) {
    (node.input ?? []).forEach((name, input) => {
      if (!name) return;
      const list = consumers.get(name) ?? [];
      list.push({ node, input });
      consumers.set(name, list);
    });
  }
  const pinned = new Set<string>([
    ...(graph.input ?? []).map((v) => v.name ?? ""),
    ...(graph.output ?? []).map((v) => v.name ?? ""),
    ...namesUsedInSubgraphs(nodes),
  ]);

  const sources: Omit<Weight, "consumers" | "blocker" | "dims" | "elements">[] = [];
  (graph.initializer ?? []).forEach((tensor, index) => {
    sources.push({ name: tensor.name ?? "", tensor, source: { kind: "initializer", index } });
  });
  nodes.forEach((node, index) => {
    const value = constantTensor(node);
    const name = node.output?.[0];
    if (value && name) sources.push({ name, tensor: value, source: { kind: "constant", index } });
  });

  const weights: Weight[] = [];
  for (const source of sources) {
    const readers = consumers.get(source.name) ?? [];
    const dims = (source.tensor.dims ?? []).map(toNumber);
    const roles = readers.map(({ node, input }) => ({
      op: node.opType ?? "",
      axis: outputAxis(node, input, dims),
    }));
    // Only tensors that some Conv/MatMul/Gemm reads as a weight are candidates at all.
    if (!roles.some((role) => role.axis !== undefined)) continue;
    const axes = new Set(roles.map((role) => role.axis));
    let blocker: string | null = null;
    if (source.tensor.dataType !== DataType.FLOAT)
      blocker = `data type ${source.tensor.dataType} is not FLOAT`;
    else if (source.tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
      blocker = "stored as external data";
    else if (pinned.has(source.name)) blocker = "is a graph input/output or read inside a subgraph";
    else if (roles.some((role) => role.axis === undefined))
      blocker = `also read by ${roles.filter((r) => r.axis === undefined).map((r) => r.op)}`;
    else if (axes.size > 1) blocker = "consumers disagree on the output-channel axis";
    weights.push({
      ...source,
      dims,
      elements: dims.reduce((product, dim) => product * dim, 1),
      consumers: roles.map((role) => ({ op: role.op, axis: role.axis ?? null })),
      blocker,
    });
  }
  return weights;
}

/**
 * The output-channel axis of a weight read by `node` at input `input`, or undefined when that
 * input is not a quantisable weight (biases, activations, other operators).
 */
function outputAxis(node: Onnx.INodeProto, input: number, dims: number[]): number | undefined {
  if (node.domain && node.domain !== "ai.onnx") return undefined;
  if (!WEIGHT_OPS.has(node.opType ?? "")) return undefined;
  const rank = dims.length;
  switch (node.opType) {
    case "Conv": // W is [O, I/group, k…]
      return input === 1 && rank >= 3 ? 0 : undefined;
    case "MatMul": // A·B: the rows of A or the columns of B are the outputs
      if (rank < 2) return undefined;
      if (input === 1) return rank - 1;
      return input === 0 ? rank - 2 : undefined;
    case "Gemm": {
      if (rank !== 2) return undefined;
      const transposed = (name: string) => toNumber(attribute(node, name)?.i ?? 0) !== 0;
      if (input === 1) return transposed("transB") ? 0 : 1; // B is [K,N], or [N,K] when transB
      if (input === 0) return transposed("transA") ? 1 : 0; // A is [M,K], or [K,M] when transA
      return undefined;
    }
    default:
      return undefined;
  }
}

function valueProblem(values: Float32Array, scheme: QuantScheme): string | null {
  for (const value of values) {
    if (!Number.isFinite(value)) return "contains NaN or infinity";
    if (scheme === "fp16" && Math.abs(value) > FLOAT16_MAX) return "has values beyond the float16 range";
  }
  return null;
}

// ——— Rewriting one weight ———

interface Rewrite {
  tensors: Onnx.ITensorProto[];
  node: Onnx.INodeProto;
  entry: QuantizedTensor;
}

function toInt(weight: Weight, values: Float32Array, maxLevel: number, names: NameAllocator): Rewrite {
  const axis = weight.consumers[0]?.axis ?? 0;
  const { quantized, scales } = quantizePerChannel(values, weight.dims, axis, maxLevel);
  const inner = weight.dims.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const channels = weight.dims[axis] ?? 1;
  let maxAbsError = 0;
  quantized.forEach((level, index) => {
    const scale = scales[Math.floor(index / inner) % channels] ?? 0;
    maxAbsError = Math.max(maxAbsError, Math.abs((values[index] ?? 0) - Math.fround(level * scale)));
  });
  const quantizedName = names.tensor(`${weight.name}_quantized`);
  const scaleName = names.tensor(`${weight.name}_scale`);
  return {
    tensors: [
      tensorOf(quantizedName, weight.dims, DataType.INT8, new Uint8Array(quantized.buffer)),
      tensorOf(scaleName, [channels], DataType.FLOAT, littleEndianFloats(scales)),
    ],
    node: {
      name: names.node(`${weight.name}_DequantizeLinear`),
      opType: "DequantizeLinear",
      input: [quantizedName, scaleName],
      output: [weight.name],
      attribute: [{ name: "axis", type: AttributeType.INT, i: axis }],
    },
    entry: entryOf(weight, axis, weight.elements + channels * 4, maxAbsError, values),
  };
}

function toFloat16(weight: Weight, values: Float32Array, names: NameAllocator): Rewrite {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  let maxAbsError = 0;
  values.forEach((value, index) => {
    const bits = float32ToFloat16Bits(value);
    view.setUint16(index * 2, bits, true);
    maxAbsError = Math.max(maxAbsError, Math.abs(value - float16BitsToFloat32(bits)));
  });
  const halfName = names.tensor(`${weight.name}_fp16`);
  return {
    tensors: [tensorOf(halfName, weight.dims, DataType.FLOAT16, bytes)],
    node: {
      name: names.node(`${weight.name}_Cast`),
      opType: "Cast",
      input: [halfName],
      output: [weight.name],
      attribute: [{ name: "to", type: AttributeType.INT, i: DataType.FLOAT }],
    },
    entry: entryOf(weight, null, weight.elements * 2, maxAbsError, values),
  };
}

function entryOf(
  weight: Weight,
  axis: number | null,
  bytesAfter: number,
  maxAbsError: number,
  values: Float32Array,
): QuantizedTensor {
  let maxAbs = 0;
  for (const value of values) maxAbs = Math.max(maxAbs, Math.abs(value));
  return {
    name: weight.name,
    dims: weight.dims,
    consumers: [...new Set(weight.consumers.map((c) => c.op))],
    axis,
    elements: weight.elements,
    bytesBefore: weight.elements * 4,
    bytesAfter,
    maxAbsError,
    maxAbs,
  };
}

// ——— Numerics ———

/**
 * Symmetric per-channel quantisation along `axis`: scale = max|w| / maxLevel per channel (1 for
 * an all-zero channel), level = round-half-to-even(w / scale) clamped to [−maxLevel, maxLevel].
 */
export function quantizePerChannel(
  values: Float32Array,
  dims: readonly number[],
  axis: number,
  maxLevel: number,
): { quantized: Int8Array; scales: Float32Array } {
  if (axis < 0 || axis >= dims.length)
    throw new RangeError(`axis ${axis} is outside a rank-${dims.length} tensor`);
  if (maxLevel < 1 || maxLevel > 127) throw new RangeError(`maxLevel ${maxLevel} does not fit INT8`);
  const channels = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const maxAbs = new Float64Array(channels);
  values.forEach((value, index) => {
    const channel = Math.floor(index / inner) % channels;
    maxAbs[channel] = Math.max(maxAbs[channel] ?? 0, Math.abs(value));
  });
  const scales = new Float32Array(channels);
  maxAbs.forEach((max, channel) => {
    scales[channel] = max > 0 ? max / maxLevel : 1;
  });
  const quantized = new Int8Array(values.length);
  values.forEach((value, index) => {
    const scale = scales[Math.floor(index / inner) % channels] ?? 1;
    quantized[index] = Math.min(maxLevel, Math.max(-maxLevel, roundHalfToEven(value / scale)));
  });
  return { quantized, scales };
}

/** Round to the nearest integer, ties to even (what QuantizeLinear does). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export const FLOAT16_MAX = 65504;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of `value` (rounded to float32 first), round-to-nearest-even. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0); // NaN stays quiet NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow → ±infinity
  if (halfExponent <= 0) {
    // Subnormal half (or zero): value = m · 2^-24; below 2^-25 (ties included) rounds to ±0.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const rounded = roundShift(full, shift);
    return sign | rounded; // a carry into 0x400 is exactly the smallest normal
  }
  const combined = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  const up = remainder > 0x1000 || (remainder === 0x1000 && (combined & 1) === 1);
  return sign | (combined + (up ? 1 : 0)); // a carry may reach 0x7c00: rounds to infinity
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const remainder = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return remainder > half || (remainder === half && (kept & 1) === 1) ? kept + 1 : kept;
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// ——— Opset upgrade ———

/**
 * Raises the default-domain opset to `target` (13), rewriting the operators whose signature
 * changed on the way: attributes that became inputs (Clip, Slice, Squeeze, Unsqueeze, ReduceSum,
 * Split) and Softmax-family ops, which stopped flattening to 2-D. An operator not known to be
 * unchanged is an error, never a silent change of meaning.
 */
export function upgradeOpset(model: Onnx.IModelProto, target: number): void {
  const from = defaultOpset(model);
  if (from >= target) return;
  if (target !== PER_CHANNEL_OPSET || from < 9)
    throw new AppError(
      "quantize_opset_unsupported",
      `Upgrading opset ${from} to ${target} is not supported.`,
      400,
    );
  const graph = model.graph;
  if (!graph) throw new AppError("quantize_invalid_model", "The model has no graph.", 400);
  const names = createNameAllocator(graph);
  const ranks = knownRanks(graph);
  const added: Onnx.ITensorProto[] = [];
  const rewritten: Onnx.INodeProto[] = [];
  for (const node of graph.node ?? []) {
    if (node.domain && node.domain !== "ai.onnx") {
      rewritten.push(node);
      continue;
    }
    if ((node.attribute ?? []).some((a) => a.g || (a.graphs?.length ?? 0) > 0))
      throw unsupported(node, from, "has a subgraph");
    const op = node.opType ?? "";
    const base = node.name || node.output?.[0] || op;
    const attributesToInputs = (attrs: string[], dataType: number) => {
      const inputs = [...(node.input ?? [])];
      const extra = attrs.map((attrName) => {
        const attr = attribute(node, attrName);
        if (!attr) return "";
        const tensorName = names.tensor(`${base}_${attrName}`);
        added.push(
          dataType === DataType.FLOAT
            ? tensorOf(tensorName, [], DataType.FLOAT, littleEndianFloats(Float32Array.of(attr.f ?? 0)))
            : tensorOf(
                tensorName,
                [(attr.ints ?? []).length],
                DataType.INT64,
                littleEndianInt64s(attr.ints ?? []),
              ),
        );
        return tensorName;
      });
      while (extra.length > 0 && extra[extra.length - 1] === "") extra.pop();
      rewritten.push({
        ...node,
        input: [...inputs, ...extra],
        attribute: (node.attribute ?? []).filter((a) => !attrs.includes(a.name ?? "")),
      });
    };
    if (op === "Clip" && from < 11) attributesToInputs(["min", "max"], DataType.FLOAT);
    else if (op === "Slice" && from < 10) attributesToInputs(["starts", "ends", "axes"], DataType.INT64);
    else if (["Squeeze", "Unsqueeze", "ReduceSum"].includes(op)) attributesToInputs(["axes"], DataType.INT64);
    else if (op === "Split") attributesToInputs(["split"], DataType.INT64);
    else if (["Softmax", "LogSoftmax", "Hardmax"].includes(op))
      rewritten.push(...upgradeSoftmax(node, ranks, names));
    else if (POOLS.has(op) && autoPad(node) !== "NOTSET") throw unsupported(node, from, "uses auto_pad");
    else if (UNCHANGED_TO_13.has(op) || (op === "Pad" && from >= 11) || (op === "TopK" && from >= 10))
      rewritten.push(node);
    else throw unsupported(node, from, "is not known to keep its meaning");
  }
  graph.node = rewritten.map((node) => onnx.NodeProto.create(node));
  graph.initializer = [...(graph.initializer ?? []), ...added].map((tensor) =>
    onnx.TensorProto.create(tensor),
  );
  model.opsetImport = (model.opsetImport ?? []).map((entry) =>
    isDefaultDomain(entry.domain) ? { domain: entry.domain ?? "", version: target } : entry,
  );
  if (toNumber(model.irVersion ?? 0) < 7) model.irVersion = 7; // opset 13 needs IR version 7
}

/**
 * Before opset 13 Softmax(axis=k) flattened its input to 2-D at k. That equals the new meaning
 * when k is the last axis; otherwise keep the old meaning explicitly: Flatten → Softmax → Reshape.
 */
function upgradeSoftmax(node: Onnx.INodeProto, ranks: Map<string, number>, names: NameAllocator) {
  const axisAttr = attribute(node, "axis");
  const axis = toNumber(axisAttr?.i ?? 1); // the default was 1 before opset 13, it is −1 since
  const input = node.input?.[0] ?? "";
  const rank = ranks.get(input) ?? ranks.get(node.output?.[0] ?? "");
  const others = (node.attribute ?? []).filter((a) => a.name !== "axis");
  const withAxis = (value: number): Onnx.IAttributeProto[] => [
    ...others,
    { name: "axis", type: AttributeType.INT, i: value },
  ];
  if (axis === -1 || (rank !== undefined && (axis + rank) % rank === rank - 1)) {
    return [{ ...node, attribute: withAxis(axis) }];
  }
  const base = node.name || node.output?.[0] || "softmax";
  const shape = names.tensor(`${base}_input_shape`);
  const flat = names.tensor(`${base}_2d_input`);
  const result = names.tensor(`${base}_2d_output`);
  return [
    { name: names.node(`${base}_shape`), opType: "Shape", input: [input], output: [shape] },
    {
      name: names.node(`${base}_flatten`),
      opType: "Flatten",
      input: [input],
      output: [flat],
      attribute: [{ name: "axis", type: AttributeType.INT, i: axis }],
    },
    { ...node, input: [flat], output: [result], attribute: withAxis(1) },
    {
      name: names.node(`${base}_reshape`),
      opType: "Reshape",
      input: [result, shape],
      output: [...(node.output ?? [])],
    },
  ];
}

// Operators whose opset-9…12 form means the same at opset 13 (new versions only add types,
// negative axes or attributes whose defaults keep the old behaviour).
const UNCHANGED_TO_13 = new Set(
  `Abs Acos Acosh Add And ArgMax ArgMin Asin Asinh Atan Atanh AveragePool BatchNormalization Cast Ceil
   Concat Constant ConstantOfShape Conv ConvTranspose Cos Cosh DepthToSpace DequantizeLinear Div Elu
   Equal Erf Exp Expand Flatten Floor Gather Gemm GlobalAveragePool GlobalMaxPool Greater HardSigmoid
   Identity InstanceNormalization IsInf IsNaN LRN LeakyRelu Less Log MatMul Max MaxPool Mean Min Mul
   Neg NonZero Not Or PRelu Pow QuantizeLinear Reciprocal ReduceL1 ReduceL2 ReduceLogSum
   ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSumSquare Relu Reshape Selu Shape
   Sigmoid Sign Sin Sinh Size Softplus Softsign SpaceToDepth Sqrt Sub Sum Tan Tanh Tile Transpose
   Where Xor`.split(/\s+/),
);

// Pooling's auto_pad output-shape rules were reworded at opset 10/11: only explicit pads are taken.
const POOLS = new Set(["AveragePool", "MaxPool"]);

function autoPad(node: Onnx.INodeProto): string {
  const value = attribute(node, "auto_pad")?.s;
  return value && value.length > 0 ? new TextDecoder().decode(value) : "NOTSET";
}

function unsupported(node: Onnx.INodeProto, from: number, why: string): AppError {
  return new AppError(
    "quantize_opset_unsupported",
    `Cannot raise opset ${from} to ${PER_CHANNEL_OPSET} for per-channel DequantizeLinear: ${node.opType} (${node.name || node.output?.[0]}) ${why}.`,
    400,
  );
}

/** Ranks stated by the graph's inputs, outputs and value_info (intermediate ones are unknown). */
function knownRanks(graph: Onnx.IGraphProto): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const dims = info.type?.tensorType?.shape?.dim;
    if (info.name && dims) ranks.set(info.name, dims.length);
  }
  return ranks;
}

// ——— Small helpers ———

export function defaultOpset(model: Onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((e) => isDefaultDomain(e.domain));
  return entry ? toNumber(entry.version ?? 0) : 0;
}

function isDefaultDomain(domain: string | null | undefined): boolean {
  return !domain || domain === "ai.onnx";
}

function toNumber(value: number | { toString(): string }): number {
  return typeof value === "number" ? value : Number(value.toString());
}

function attribute(node: Onnx.INodeProto, name: string): Onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function constantTensor(node: Onnx.INodeProto): Onnx.ITensorProto | undefined {
  if (node.opType !== "Constant" || (node.domain && node.domain !== "ai.onnx")) return undefined;
  const value = attribute(node, "value");
  return value?.type === AttributeType.TENSOR && value.t ? value.t : undefined;
}

/** Every tensor name read by a node inside an If/Loop/Scan body (such reads are invisible above). */
function namesUsedInSubgraphs(nodes: Onnx.INodeProto[]): string[] {
  const names: string[] = [];
  const visit = (graph: Onnx.IGraphProto) => {
    for (const node of graph.node ?? []) {
      names.push(...(node.input ?? []));
      for (const a of node.attribute ?? []) for (const g of [a.g, ...(a.graphs ?? [])]) if (g) visit(g);
    }
  };
  for (const node of nodes)
    for (const a of node.attribute ?? []) for (const g of [a.g, ...(a.graphs ?? [])]) if (g) visit(g);
  return names;
}

/** The float32 values of a FLOAT tensor, from raw_data (little-endian) or float_data. */
export function readFloats(tensor: Onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = new Float32Array(raw.byteLength / 4);
    for (let i = 0; i < values.length; i += 1) values[i] = view.getFloat32(i * 4, true);
    return values;
  }
  return Float32Array.from(tensor.floatData ?? []);
}

function littleEndianFloats(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i += 1) view.setFloat32(i * 4, values[i] ?? 0, true);
  return bytes;
}

function littleEndianInt64s(values: (number | { toString(): string })[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of values.entries()) view.setBigInt64(i * 8, BigInt(value.toString()), true);
  return bytes;
}

function tensorOf(name: string, dims: number[], dataType: number, rawData: Uint8Array): Onnx.ITensorProto {
  return { name, dims, dataType, rawData };
}

interface NameAllocator {
  tensor(base: string): string;
  node(base: string): string;
}

/** Fresh, deterministic names: `base`, else `base_1`, `base_2`… */
function createNameAllocator(graph: Onnx.IGraphProto): NameAllocator {
  const tensors = new Set<string>();
  const nodes = new Set<string>();
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])])
    tensors.add(v.name ?? "");
  for (const t of graph.initializer ?? []) tensors.add(t.name ?? "");
  for (const node of graph.node ?? []) {
    nodes.add(node.name ?? "");
    for (const name of [...(node.input ?? []), ...(node.output ?? [])]) tensors.add(name);
  }
  const fresh = (used: Set<string>, base: string) => {
    let name = base;
    for (let n = 1; used.has(name); n += 1) name = `${base}_${n}`;
    used.add(name);
    return name;
  };
  return { tensor: (base) => fresh(tensors, base), node: (base) => fresh(nodes, base) };
}
