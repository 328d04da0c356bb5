// textline-v1: single text lines, nine content categories in equal shares, every font family in
// equal shares, each item drawn from its own fork of the dataset seed.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { createRandom } from "../../kernel/random";
import { balanced, TEXTLINE_CATEGORIES, textFor } from "./content";
import type { DatasetDefinition } from "./definition";
import {
  contrastRatio,
  drawInk,
  drawPaper,
  escapeMarkup,
  FONT_FAMILIES,
  PNG_OPTIONS,
  renderLine,
  type TextStyle,
} from "./render";

const PER_CATEGORY = 56;
const SEED = 1001;

export const textlineDataset: DatasetDefinition = {
  name: "textline-v1",
  task: "ocr.line",
  version: "1.0.0",
  seed: SEED,
  description:
    "Single-line text images with exact ground truth: words and phrases, Title Case titles, ALL CAPS, " +
    "prices, dates, codes, phone numbers, mixed alphanumerics and short sentences in equal shares, " +
    "rendered in 8 font families (regular/bold, 18-44 px) in dark inks on light papers.",
  build: buildTextline,
};

async function buildTextline(
  dir: string,
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  const root = createRandom(SEED);
  const total = TEXTLINE_CATEGORIES.length * PER_CATEGORY;
  const categories = balanced(TEXTLINE_CATEGORIES, total, root.fork("categories"));
  const families = balanced(FONT_FAMILIES, total, root.fork("fonts"));
  const used = new Set<string>();
  const labels: string[] = [];
  await mkdir(path.join(dir, "images"), { recursive: true });
  for (let index = 0; index < total; index += 1) {
    const id = String(index + 1).padStart(4, "0");
    const r = root.fork(`item:${id}`);
    const category = categories[index] ?? "word";
    // Re-draw repeats (a few lists are short) so every line of the set is distinct.
    let text = textFor(category, r);
    for (let attempt = 0; used.has(text) && attempt < 50; attempt += 1) text = textFor(category, r);
    used.add(text);
    const style: TextStyle = {
      family: families[index] ?? "DejaVu Sans",
      bold: r.next() < 0.35,
      sizePx: r.int(18, 44),
      color: drawInk(r),
    };
    const background = drawPaper(r);
    if (contrastRatio(style.color, background) < 7) {
      throw new Error(`Item ${id}: ink ${style.color} on ${background} is too faint to label.`);
    }
    const [top, right, bottom, left] = [r.int(4, 20), r.int(4, 20), r.int(4, 20), r.int(4, 20)];
    const line = await renderLine(escapeMarkup(text), style);
    const image = `images/${id}.png`;
    await sharp(line.rgba, { raw: { width: line.width, height: line.height, channels: 4 } })
      .flatten({ background })
      .extend({ top, right, bottom, left, background })
      .png(PNG_OPTIONS)
      .toFile(path.join(dir, image));
    labels.push(
      JSON.stringify({
        id,
        image,
        text,
        category,
        font: style.family,
        weight: style.bold ? "bold" : "regular",
        sizePx: style.sizePx,
        color: style.color,
        background,
        paddingPx: [top, right, bottom, left],
        width: line.width + left + right,
        height: line.height + top + bottom,
      }),
    );
    onProgress(index + 1, total);
  }
  await writeFile(path.join(dir, "labels.jsonl"), `${labels.join("\n")}\n`);
  return total;
}
