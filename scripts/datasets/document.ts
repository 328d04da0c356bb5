// document-v1: receipts, signs and forms in equal shares, each line labelled with its text and the
// pixel box of its ink, in reading order. Lines are rendered one by one and placed with gaps of at
// least a third of a line, so a text detector can tell them apart.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { createRandom, type Random } from "../../kernel/random";
import type { Box } from "../../lib/datasets/manifest";
import { balanced, type DocumentKind, type DocumentLineSpec, documentLines } from "./content";
import type { DatasetDefinition } from "./definition";
import {
  contrastRatio,
  drawInk,
  drawPaper,
  escapeMarkup,
  FONT_FAMILIES,
  type FontFamily,
  PNG_OPTIONS,
  type RenderedLine,
  renderLine,
} from "./render";

const PER_KIND = 40;
const SEED = 2002;
const MAX_SIDE_PX = 960;
const KINDS: readonly DocumentKind[] = ["receipt", "sign", "form"];
const MONOSPACED: readonly FontFamily[] = ["DejaVu Sans Mono", "Liberation Mono"];

export const documentDataset: DatasetDefinition = {
  name: "document-v1",
  task: "ocr.document",
  version: "1.0.0",
  seed: SEED,
  description:
    "Multi-line documents with per-line ground truth (text and ink box, top to bottom): receipts " +
    "(left-aligned, 3-8 priced items and a total), signs (2-4 big centred lines) and forms " +
    "(left-aligned 'Label: value' lines), at most 960 px on the longest side.",
  build: buildDocuments,
};

interface DocumentStyle {
  family: FontFamily;
  bodyPx: number;
  color: string;
  background: string;
  /** Gap between lines as a fraction of the line height. */
  gapRatio: number;
  margins: { top: number; right: number; bottom: number; left: number };
  align: "left" | "centre";
}

async function buildDocuments(
  dir: string,
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  const root = createRandom(SEED);
  const total = KINDS.length * PER_KIND;
  const kinds = balanced(KINDS, total, root.fork("kinds"));
  const labels: string[] = [];
  await mkdir(path.join(dir, "images"), { recursive: true });
  for (let index = 0; index < total; index += 1) {
    const id = String(index + 1).padStart(4, "0");
    const r = root.fork(`item:${id}`);
    const kind = kinds[index] ?? "receipt";
    const specs = documentLines(kind, r);
    const style = drawStyle(kind, r);
    if (contrastRatio(style.color, style.background) < 7) {
      throw new Error(`Item ${id}: ink ${style.color} on ${style.background} is too faint to label.`);
    }
    const page = await layOut(specs, style);
    const image = `images/${id}.png`;
    await sharp({
      create: { width: page.width, height: page.height, channels: 3, background: style.background },
    })
      .composite(
        page.placed.map((p) => ({
          input: p.line.rgba,
          raw: { width: p.line.width, height: p.line.height, channels: 4 as const },
          left: p.left,
          top: p.top,
        })),
      )
      .png(PNG_OPTIONS)
      .toFile(path.join(dir, image));
    labels.push(
      JSON.stringify({
        id,
        image,
        kind,
        lines: page.placed.map((p) => ({ text: p.text, box: p.box })),
        font: style.family,
        sizePx: page.bodyPx,
        color: style.color,
        background: style.background,
        width: page.width,
        height: page.height,
      }),
    );
    onProgress(index + 1, total);
  }
  await writeFile(path.join(dir, "labels.jsonl"), `${labels.join("\n")}\n`);
  return total;
}

function drawStyle(kind: DocumentKind, r: Random): DocumentStyle {
  const family = kind === "receipt" && r.next() < 0.5 ? r.pick(MONOSPACED) : r.pick(FONT_FAMILIES);
  const bodyPx = kind === "sign" ? r.int(52, 84) : r.int(18, 26);
  const margin = () => (kind === "sign" ? r.int(36, 80) : r.int(16, 40));
  return {
    family,
    bodyPx,
    color: drawInk(r),
    background: kind === "sign" && r.next() < 0.3 ? "#ffe066" : drawPaper(r),
    gapRatio: 0.35 + r.next() * 0.45,
    margins: {
      top: margin(),
      right: margin() + (kind === "sign" ? 0 : r.int(0, 80)),
      bottom: margin(),
      left: margin(),
    },
    align: kind === "sign" ? "centre" : "left",
  };
}

interface PlacedLine {
  text: string;
  line: RenderedLine;
  left: number;
  top: number;
  box: Box;
}

interface Page {
  width: number;
  height: number;
  bodyPx: number;
  placed: PlacedLine[];
}

/** Renders and stacks the lines; shrinks the type until the page fits in MAX_SIDE_PX. */
async function layOut(specs: DocumentLineSpec[], style: DocumentStyle): Promise<Page> {
  for (let bodyPx = style.bodyPx; bodyPx >= 12; bodyPx = Math.floor(bodyPx * 0.9)) {
    const rendered: { spec: DocumentLineSpec; line: RenderedLine }[] = [];
    for (const spec of specs) {
      const markup = spec.label
        ? `<span font_weight="bold">${escapeMarkup(spec.label)}</span>${escapeMarkup(spec.text.slice(spec.label.length))}`
        : escapeMarkup(spec.text);
      const line = await renderLine(markup, {
        family: style.family,
        bold: spec.bold ?? false,
        sizePx: Math.round(bodyPx * (spec.scale ?? 1)),
        color: style.color,
      });
      rendered.push({ spec, line });
    }
    const { margins } = style;
    const contentWidth = Math.max(...rendered.map((x) => x.line.width));
    const width = margins.left + contentWidth + margins.right;
    const placed: PlacedLine[] = [];
    let top = margins.top;
    for (const { spec, line } of rendered) {
      if (placed.length > 0) top += Math.round(line.height * (style.gapRatio + (spec.spaceBefore ?? 0)));
      const left = style.align === "left" ? margins.left : Math.round((width - line.width) / 2);
      placed.push({
        text: spec.text,
        line,
        left,
        top,
        box: [left, top + line.inkTop, left + line.width, top + line.inkBottom],
      });
      top += line.height;
    }
    const height = top + margins.bottom;
    if (width <= MAX_SIDE_PX && height <= MAX_SIDE_PX) {
      assertSeparable(placed, specs);
      return { width, height, bodyPx, placed };
    }
  }
  throw new Error(`Cannot fit ${JSON.stringify(specs.map((s) => s.text))} in ${MAX_SIDE_PX} px.`);
}

/** Ink boxes must not touch: each starts at least 4 px below the previous one's bottom. */
function assertSeparable(placed: PlacedLine[], specs: DocumentLineSpec[]): void {
  for (let i = 1; i < placed.length; i += 1) {
    const above = placed[i - 1]?.box[3] ?? 0;
    const below = placed[i]?.box[1] ?? 0;
    if (below - above < 4) {
      throw new Error(
        `Lines ${i} and ${i + 1} of ${JSON.stringify(specs.map((s) => s.text))} are too close.`,
      );
    }
  }
}
