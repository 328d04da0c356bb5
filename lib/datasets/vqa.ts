// Bring-your-own question answering sets: reads the official VQA-v2 (questions + annotations) and
// TextVQA annotation JSON into DatasetItems of task "vqa", resolving images by a path template.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { describeIssues } from "./load";
import type { DatasetItem } from "./manifest";

const VqaV2Questions = z.looseObject({
  questions: z.array(
    z.looseObject({
      image_id: z.number().int().nonnegative(),
      question: z.string().min(1),
      question_id: z.number().int().nonnegative(),
    }),
  ),
});

const VqaV2Annotations = z.looseObject({
  annotations: z.array(
    z.looseObject({
      question_id: z.number().int().nonnegative(),
      image_id: z.number().int().nonnegative(),
      answers: z.array(
        z.looseObject({
          answer: z.string(),
          answer_confidence: z.string().optional(),
          answer_id: z.number().int().optional(),
        }),
      ),
      multiple_choice_answer: z.string(),
      answer_type: z.string().optional(),
      question_type: z.string().optional(),
    }),
  ),
});

const TextVqaFile = z.looseObject({
  data: z.array(
    z.looseObject({
      question_id: z.number().int().nonnegative(),
      question: z.string().min(1),
      image_id: z.union([z.string().min(1), z.number().int().nonnegative()]),
      /** Ten human answers; absent in the test split. */
      answers: z.array(z.string()).optional(),
      image_classes: z.array(z.string()).optional(),
    }),
  ),
});

export const VQA_V2_IMAGE_TEMPLATE = "COCO_val2014_{image_id:012}.jpg";
export const TEXTVQA_IMAGE_TEMPLATE = "{image_id}.jpg";

export interface VqaV2Source {
  questionsFile: string;
  /** Absent for the test split, which publishes questions only: items then carry no answers. */
  annotationsFile?: string;
  imageDir: string;
  /** Default `COCO_val2014_{image_id:012}.jpg`. */
  imageTemplate?: string;
}

/** VQA-v2: joins questions to annotations by question_id; answers are the ten raw human answers. */
export async function loadVqaV2(source: VqaV2Source): Promise<DatasetItem[]> {
  const template = source.imageTemplate ?? VQA_V2_IMAGE_TEMPLATE;
  const questions = await readJson(source.questionsFile, VqaV2Questions, "VQA-v2 questions file");
  let annotations: Map<number, z.infer<typeof VqaV2Annotations>["annotations"][number]> | undefined;
  if (source.annotationsFile) {
    const file = await readJson(source.annotationsFile, VqaV2Annotations, "VQA-v2 annotations file");
    annotations = new Map(file.annotations.map((a) => [a.question_id, a]));
  }
  const seen = new Set<number>();
  return questions.questions.map((q, index) => {
    const where = `${source.questionsFile}: questions[${index}] (question_id ${q.question_id})`;
    if (seen.has(q.question_id)) throw invalid(`${where} repeats a question_id.`);
    seen.add(q.question_id);
    const values = { image_id: q.image_id, question_id: q.question_id };
    const item: DatasetItem = {
      id: String(q.question_id),
      task: "vqa",
      imagePath: path.resolve(source.imageDir, formatImagePath(template, values)),
      question: q.question,
      meta: { imageId: q.image_id, questionId: q.question_id },
    };
    if (!annotations) return item;
    const annotation = annotations.get(q.question_id);
    if (!annotation) throw invalid(`${where} has no annotation in ${source.annotationsFile}.`);
    if (annotation.image_id !== q.image_id) {
      throw invalid(
        `${where} is about image ${q.image_id} but its annotation in ${source.annotationsFile} says ${annotation.image_id}.`,
      );
    }
    item.answers = annotation.answers.map((a) => a.answer);
    item.meta = {
      ...item.meta,
      multipleChoiceAnswer: annotation.multiple_choice_answer,
      answerConfidences: annotation.answers.map((a) => a.answer_confidence ?? null),
      ...(annotation.answer_type ? { answerType: annotation.answer_type } : {}),
      ...(annotation.question_type ? { questionType: annotation.question_type } : {}),
    };
    return item;
  });
}

export interface TextVqaSource {
  file: string;
  imageDir: string;
  /** Default `{image_id}.jpg`. */
  imageTemplate?: string;
}

/** TextVQA: one file of questions with their ten answers inline. */
export async function loadTextVqa(source: TextVqaSource): Promise<DatasetItem[]> {
  const template = source.imageTemplate ?? TEXTVQA_IMAGE_TEMPLATE;
  const file = await readJson(source.file, TextVqaFile, "TextVQA file");
  const seen = new Set<number>();
  return file.data.map((entry, index) => {
    if (seen.has(entry.question_id)) {
      throw invalid(
        `${source.file}: data[${index}] (question_id ${entry.question_id}) repeats a question_id.`,
      );
    }
    seen.add(entry.question_id);
    const values = { image_id: entry.image_id, question_id: entry.question_id };
    return {
      id: String(entry.question_id),
      task: "vqa",
      imagePath: path.resolve(source.imageDir, formatImagePath(template, values)),
      question: entry.question,
      ...(entry.answers ? { answers: entry.answers } : {}),
      meta: {
        imageId: entry.image_id,
        questionId: entry.question_id,
        ...(entry.image_classes ? { imageClasses: entry.image_classes } : {}),
      },
    };
  });
}

/**
 * Fills `{field}` and `{field:0N}` (zero-padded to N digits) placeholders, e.g.
 * `COCO_val2014_{image_id:012}.jpg` → `COCO_val2014_000000262148.jpg`.
 */
export function formatImagePath(template: string, values: Record<string, string | number>): string {
  const filled = template.replace(/\{([a-z_]+)(?::(0?)(\d+))?\}/g, (_match, field: string, zero, width) => {
    const value = values[field];
    if (value === undefined) {
      throw invalid(
        `Image template "${template}" uses {${field}}; known fields: ${Object.keys(values).join(", ")}.`,
      );
    }
    const text = String(value);
    return width ? text.padStart(Number(width), zero ? "0" : " ") : text;
  });
  if (/[{}]/.test(filled)) throw invalid(`Image template "${template}" has a placeholder it cannot fill.`);
  if (path.isAbsolute(filled) || filled.split(/[\\/]/).includes("..")) {
    throw invalid(`Image template "${template}" must give a path inside the image folder, got "${filled}".`);
  }
  return filled;
}

async function readJson<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new AppError(
      "dataset_not_found",
      `${what} ${file} could not be read: ${(error as Error).message}`,
      404,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`${what} ${file} is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw invalid(`${what} ${file} is not in the expected format: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

const invalid = (message: string) => new AppError("dataset_invalid", message, 400);
