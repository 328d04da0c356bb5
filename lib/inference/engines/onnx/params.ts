// The manifest parameters of the generic ONNX engine: how to turn an image into the model's input
// tensor (size, layout, channel order, normalisation) and how to read its output (a class label,
// or CTC-decoded text). Anyone can serve their own image model by writing these, no code.
import { z } from "zod";

const Triple = z.tuple([z.number(), z.number(), z.number()]);

export const OnnxInput = z.strictObject({
  /** The input's name; the model's first input when absent. */
  name: z.string().min(1).optional(),
  layout: z.enum(["NCHW", "NHWC"]).default("NCHW"),
  channels: z.enum(["RGB", "BGR"]).default("RGB"),
  height: z.number().int().min(1).max(4096),
  /**
   * stretch: resize to height × width. keep-aspect: scale to `height`, keep the aspect ratio,
   * and pad on the right (with zeros after normalisation) to at least `width` (text lines).
   */
  resize: z.enum(["stretch", "keep-aspect"]).default("stretch"),
  width: z.number().int().min(1).max(8192),
  /** keep-aspect only: the widest the resized image may get. */
  maxWidth: z.number().int().min(1).max(16384).optional(),
  /** x' = (x × scale − mean) / std, per channel in `channels` order. */
  scale: z.number().default(1 / 255),
  mean: Triple.default([0, 0, 0]),
  std: Triple.default([1, 1, 1]),
});
export type OnnxInput = z.infer<typeof OnnxInput>;

export const OnnxOutput = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("classification"),
    /** Class names in output order, inline or a file (one per line) next to the manifest. */
    labels: z.union([z.array(z.string()).min(1), z.string().min(1)]),
    /** Whether the output still needs a softmax (logits) or is already probabilities. */
    softmax: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal("ctc"),
    /** One character per line; class 0 is the blank, then the lines, then (optionally) a space. */
    dictionary: z.string().min(1),
  }),
]);
export type OnnxOutput = z.infer<typeof OnnxOutput>;

export const OnnxParams = z.strictObject({
  input: OnnxInput,
  output: OnnxOutput,
  threads: z.number().int().min(1).max(64).optional(),
});
export type OnnxParams = z.infer<typeof OnnxParams>;
