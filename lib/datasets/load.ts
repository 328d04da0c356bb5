// Reads a dataset folder (manifest.json + labels.jsonl + images/) into validated DatasetItems,
// decodes item images for the engines, and computes the digest a manifest records.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import type { z } from "zod";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "../inference/types";
import { type DatasetItem, DatasetManifest, LABEL_SCHEMAS } from "./manifest";

export type { DatasetItem, DatasetManifest } from "./manifest";

export const MANIFEST_FILE = "manifest.json";
export const LABELS_FILE = "labels.jsonl";
export const IMAGES_DIR = "images";

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** Absolute path of the dataset folder. */
  dir: string;
  items: DatasetItem[];
}

export interface LoadOptions {
  /** Recompute the digest and fail when it differs from the manifest's (reads every image). */
  verifyDigest?: boolean;
}

/** Loads and validates one dataset folder; every problem is an error naming the file (and line). */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const root = path.resolve(dir);
  const manifest = await readManifest(path.join(root, MANIFEST_FILE));
  const labelsFile = path.join(root, LABELS_FILE);
  const items = parseLabels(await readText(labelsFile), labelsFile, manifest.task, root);
  if (items.length !== manifest.itemCount) {
    throw invalid(
      `${labelsFile} has ${items.length} items but its manifest says itemCount ${manifest.itemCount}.`,
    );
  }
  if (options.verifyDigest) {
    const actual = await datasetDigest(root);
    if (actual !== manifest.sha256) {
      throw invalid(
        `${root} does not match its manifest: sha256 is ${actual}, manifest.json records ${manifest.sha256}.`,
      );
    }
  }
  return { manifest, dir: root, items };
}

/** Parses labels.jsonl text; exported so the message format ("file:line: …") is testable alone. */
export function parseLabels(text: string, file: string, task: DatasetManifest["task"], root: string) {
  const schema: z.ZodType<Record<string, unknown>> = LABEL_SCHEMAS[task];
  const items: DatasetItem[] = [];
  const seen = new Map<string, number>();
  const rows = text.split("\n");
  for (const [index, row] of rows.entries()) {
    const lineNo = index + 1;
    if (row.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(row);
    } catch (error) {
      throw invalid(`${file}:${lineNo}: not valid JSON (${(error as Error).message}).`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw invalid(`${file}:${lineNo}: ${describeIssues(parsed.error)}.`);
    const {
      id,
      image,
      text: lineText,
      lines,
      question,
      answers,
      ...meta
    } = parsed.data as Record<string, unknown> & { id: string; image: string };
    const previous = seen.get(id);
    if (previous !== undefined)
      throw invalid(`${file}:${lineNo}: id "${id}" is already used on line ${previous}.`);
    seen.set(id, lineNo);
    const imagePath = path.resolve(root, image);
    if (!isInside(root, imagePath)) {
      throw invalid(`${file}:${lineNo}: image "${image}" points outside the dataset folder.`);
    }
    items.push({
      id,
      task,
      imagePath,
      ...(typeof lineText === "string" ? { text: lineText } : {}),
      ...(Array.isArray(lines) ? { lines: lines as DatasetItem["lines"] } : {}),
      ...(typeof question === "string" ? { question } : {}),
      ...(Array.isArray(answers) ? { answers: answers as string[] } : {}),
      meta,
    });
  }
  return items;
}

/** Decodes an item's image to 8-bit interleaved RGB (alpha flattened on white, grey expanded). */
export async function readImage(item: Pick<DatasetItem, "id" | "imagePath">): Promise<RawImage> {
  try {
    const { data, info } = await sharp(item.imagePath)
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw new AppError(
      "dataset_image_unreadable",
      `Image of item ${item.id} (${item.imagePath}) could not be decoded: ${(error as Error).message}`,
      400,
    );
  }
}

export interface ListedDataset {
  dir: string;
  manifest: DatasetManifest;
}

/** Every <datasetsDir>/<name>/manifest.json, sorted by name; a bad manifest is an error naming it. */
export async function listDatasets(datasetsDir: string): Promise<ListedDataset[]> {
  if (!existsSync(datasetsDir)) return [];
  const entries = await readdir(datasetsDir, { withFileTypes: true });
  const listed: ListedDataset[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => compareNames(a.name, b.name))) {
    const dir = path.resolve(datasetsDir, entry.name);
    const file = path.join(dir, MANIFEST_FILE);
    if (!existsSync(file)) continue;
    listed.push({ dir, manifest: await readManifest(file) });
  }
  return listed;
}

/**
 * The sha256 a manifest records: sha256 of the `sha256sum`-style listing of labels.jsonl then every
 * file in images/ in byte order, i.e. `cd <dir> && LC_ALL=C sha256sum labels.jsonl images/* | sha256sum`.
 */
export async function datasetDigest(dir: string): Promise<string> {
  const listing = await digestListing(dir);
  return createHash("sha256")
    .update(listing.map((entry) => `${entry.sha256}  ${entry.file}\n`).join(""))
    .digest("hex");
}

/** Per-file digests behind `datasetDigest`, in digest order (used to point at what differs). */
export async function digestListing(dir: string): Promise<{ file: string; sha256: string }[]> {
  const imagesDir = path.join(dir, IMAGES_DIR);
  const images = existsSync(imagesDir)
    ? (await readdir(imagesDir, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(compareNames)
    : [];
  const files = [LABELS_FILE, ...images.map((name) => `${IMAGES_DIR}/${name}`)];
  const listing: { file: string; sha256: string }[] = [];
  for (const file of files) listing.push({ file, sha256: await fileSha256(path.join(dir, file)) });
  return listing;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function readManifest(file: string): Promise<DatasetManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(file));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid(`${file} is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = DatasetManifest.safeParse(raw);
  if (!parsed.success)
    throw invalid(`${file} is not a valid dataset manifest: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new AppError("dataset_not_found", `${file} could not be read: ${(error as Error).message}`, 404);
  }
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ");
}

const invalid = (message: string) => new AppError("dataset_invalid", message, 400);

/** Code-unit order (byte order for ASCII names), so digests never depend on the machine's locale. */
const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
