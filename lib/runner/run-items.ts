// The dataset side of a run: the spec's dataset loaded, cut to its limit, each item assigned its
// corruption from the spec's mix (seeded, so every target and every re-run sees the same
// images), encoded once for both protocols, and scored the way `npm run eval` scores it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { applyCorruption, applyTextTypos, type CorruptionName } from "../../chaos/corruptions";
import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import type { DatasetItem } from "../datasets/load";
import { loadDataset, readImage } from "../datasets/load";
import type { ExperimentSpec } from "../experiments/spec";
import { type ItemScore, scoreItem } from "../metrics/scoring";
import { type ChatItem, type InferItem, prepareChatItems, prepareInferItems } from "./send-http";

export interface RunItem {
  item: DatasetItem;
  /** The corruption applied to this item's image, if any. */
  corruption?: { name: string; severity: number };
  infer: InferItem<DatasetItem>;
  chat: ChatItem<DatasetItem>;
}

export interface LoadedRunItems {
  items: RunItem[];
  datasetDir: string;
}

export async function prepareRunItems(
  spec: ExperimentSpec,
  datasetsDir: string,
  seed: number,
): Promise<LoadedRunItems> {
  const datasetDir = path.join(datasetsDir, spec.dataset.name);
  const dataset = await loadDataset(datasetDir).catch((error: unknown) => {
    throw new AppError(
      "unknown_dataset",
      `Dataset ${spec.dataset.name} could not be loaded: ${String(error)}`,
      400,
    );
  });
  const items = dataset.items.slice(0, spec.dataset.limit ?? dataset.items.length);
  const random = createRandom(seed).fork("dataset:corruptions");
  const mix = spec.dataset.corruptions;
  const given = mix.reduce((sum, entry) => sum + (entry.weight ?? 0), 0);
  const unweighted = mix.filter((entry) => entry.weight === undefined).length;
  const share = (entry: (typeof mix)[number]) =>
    entry.weight ?? (unweighted > 0 ? Math.max(0, 1 - given) / unweighted : 0);

  const images = await Promise.all(
    items.map(async (item) => {
      const draw = random.next();
      let cumulative = 0;
      for (const entry of mix) {
        cumulative += share(entry);
        if (draw < cumulative && entry.corruption === "text_typos") {
          // The text side: the prompt gets the typos (items without a prompt are left as they are).
          const prompt =
            item.question === undefined
              ? undefined
              : applyTextTypos(item.question, entry.severity as 1, `${seed}:${item.id}`);
          return {
            item: { ...item, question: prompt },
            png: await readFile(item.imagePath),
            corruption: { name: entry.corruption, severity: entry.severity },
          };
        }
        if (draw < cumulative) {
          const raw = await readImage(item);
          const corrupted = await applyCorruption(
            entry.corruption as CorruptionName,
            raw,
            entry.severity as 1 | 2 | 3 | 4 | 5,
            `${seed}:${item.id}`,
          );
          const png = await sharp(Buffer.from(corrupted.data), {
            raw: { width: corrupted.width, height: corrupted.height, channels: 3 },
          })
            .png()
            .toBuffer();
          return { item, png, corruption: { name: entry.corruption, severity: entry.severity } };
        }
      }
      return { item, png: await readFile(item.imagePath), corruption: undefined };
    }),
  );
  const byItem = new Map(images.map((entry) => [entry.item, entry.png]));
  const toRequest = (item: DatasetItem) => ({
    image: byItem.get(item) ?? Buffer.alloc(0),
    mimeType: "image/png",
    prompt: item.question,
  });
  const prepared = images.map((entry) => entry.item);
  const infer = await prepareInferItems(prepared, toRequest);
  const chat = prepareChatItems(prepared, toRequest);
  return {
    datasetDir,
    items: images.map((entry, index) => ({
      item: entry.item,
      corruption: entry.corruption,
      infer: infer[index] as InferItem<DatasetItem>,
      chat: chat[index] as ChatItem<DatasetItem>,
    })),
  };
}

/**
 * Right or wrong, exactly as `npm run eval` judges it: both call the shared scoreItem (exact line,
 * fully right page, ≥ 3 humans for VQA), with CER, line F1 and VQA accuracy beside `correct`.
 */
export function scoreAnswer(item: DatasetItem, answer: string): ItemScore | undefined {
  return scoreItem(item, answer);
}

/**
 * What makes two requests the same observation: the item and the corruption its image got. Keys
 * match across targets of a run, and across runs that drew the same corruptions.
 */
export function itemKey(entry: Pick<RunItem, "item" | "corruption">): string {
  const { corruption } = entry;
  return corruption ? `${entry.item.id}|${corruption.name}:${corruption.severity}` : entry.item.id;
}
