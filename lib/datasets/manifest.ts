// The data contracts of a labelled dataset: datasets/<name>/manifest.json, one label per line of
// labels.jsonl, and the DatasetItem every loader (ours, VQA/TextVQA) hands to the rest of Faultline.
import { z } from "zod";

export const DatasetTask = z.enum(["ocr.line", "ocr.document", "vqa"]);
export type DatasetTask = z.infer<typeof DatasetTask>;

export const DatasetManifest = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "must be lower-case letters, digits, '.', '_' or '-'"),
  task: DatasetTask,
  version: z.string().min(1),
  description: z.string().default(""),
  license: z.string().min(1),
  /** The script that produced it, relative to the project root (absent for imported sets). */
  generator: z.string().min(1).optional(),
  seed: z.number().int().optional(),
  itemCount: z.number().int().nonnegative(),
  /** See `datasetDigest`: sha256 over labels.jsonl and every file in images/. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
  /** Library versions that rendered a generated set; bytes depend on them (and on the fonts). */
  renderer: z.record(z.string(), z.string()).optional(),
});
export type DatasetManifest = z.infer<typeof DatasetManifest>;

/** Axis-aligned [x0, y0, x1, y1] in pixels; x1/y1 are exclusive (width = x1 - x0). */
export const Box = z
  .tuple([z.number().nonnegative(), z.number().nonnegative(), z.number(), z.number()])
  .refine(([x0, y0, x1, y1]) => x1 > x0 && y1 > y0, "must have x1 > x0 and y1 > y0");
export type Box = z.infer<typeof Box>;

export const LabelledLine = z.object({ text: z.string().min(1), box: Box });
export type LabelledLine = z.infer<typeof LabelledLine>;

const labelBase = {
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'"),
  /** Relative to the dataset folder, and must stay inside it. */
  image: z.string().min(1),
};

/** One line of labels.jsonl for task "ocr.line"; any further keys (category, font…) become meta. */
export const TextlineLabel = z.looseObject({ ...labelBase, text: z.string().min(1) });
export type TextlineLabel = z.infer<typeof TextlineLabel>;

/** One line of labels.jsonl for task "ocr.document": lines in reading order (top to bottom). */
export const DocumentLabel = z.looseObject({ ...labelBase, lines: z.array(LabelledLine).min(1) });
export type DocumentLabel = z.infer<typeof DocumentLabel>;

/** One line of labels.jsonl for task "vqa" (a set converted to our layout). */
export const VqaLabel = z.looseObject({
  ...labelBase,
  question: z.string().min(1),
  answers: z.array(z.string()).default([]),
});
export type VqaLabel = z.infer<typeof VqaLabel>;

export const LABEL_SCHEMAS = {
  "ocr.line": TextlineLabel,
  "ocr.document": DocumentLabel,
  vqa: VqaLabel,
} as const satisfies Record<DatasetTask, z.ZodType>;

/** What a drill consumes: one image plus the ground truth its task needs. */
export const DatasetItem = z.object({
  id: z.string().min(1),
  task: DatasetTask,
  /** Absolute path of the image file. */
  imagePath: z.string().min(1),
  text: z.string().optional(),
  lines: z.array(LabelledLine).optional(),
  question: z.string().optional(),
  answers: z.array(z.string()).optional(),
  meta: z.record(z.string(), z.unknown()),
});
export type DatasetItem = z.infer<typeof DatasetItem>;
