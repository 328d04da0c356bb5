// Text rendering for the dataset generator: one line of Pango markup → an RGBA strip whose height
// is the font's full line (ascender to descender, whatever the text) and whose width is the ink.
import { execFileSync } from "node:child_process";
import sharp from "sharp";
import type { Random } from "../../kernel/random";

export const FONT_FAMILIES = [
  "DejaVu Sans",
  "DejaVu Serif",
  "DejaVu Sans Mono",
  "DejaVu Sans Condensed",
  "Liberation Sans",
  "Liberation Serif",
  "Liberation Mono",
  "Liberation Sans Narrow",
] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];

export interface TextStyle {
  family: FontFamily;
  bold: boolean;
  /** Font size (em) in pixels: about the height from the top of "H" to the bottom of "g". */
  sizePx: number;
  /** Text colour, "#rrggbb". */
  color: string;
}

export interface RenderedLine {
  /** Straight RGBA, `width × height × 4`, transparent where there is no ink. */
  rgba: Buffer;
  width: number;
  height: number;
  /** First and one-past-last rows holding ink (columns are cropped to the ink already). */
  inkTop: number;
  inkBottom: number;
}

/**
 * libvips crops rendered text to Pango's ink extents, so "ABC" and "gjy" would come out with
 * different heights and baselines. A leading invisible strut ("|gÅ" at alpha 1/65535, which rasterises
 * to nothing) fixes the vertical extent to the font's; the columns are then cropped to the visible ink.
 */
const STRUT = '<span alpha="1">|gÅ</span>';

/** DejaVu would draw "ffi"/"fl" as one glyph; one glyph per labelled character keeps scoring fair. */
const NO_LIGATURES = "liga=0, clig=0, dlig=0";

/** Renders `markup` (already escaped; may hold spans) in `style`. */
export async function renderLine(markup: string, style: TextStyle): Promise<RenderedLine> {
  const text =
    `<span font_family="${style.family}" font_weight="${style.bold ? "bold" : "normal"}" ` +
    `font_size="${Math.round(style.sizePx * 1024)}" foreground="${style.color}" ` +
    `font_features="${NO_LIGATURES}">${STRUT}${markup}</span>`;
  const { data, info } = await sharp({ text: { text, rgba: true, dpi: 72 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if ((data[(y * width + x) * 4 + 3] ?? 0) === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) throw new Error(`Nothing visible was rendered for ${JSON.stringify(markup)}`);
  const cropWidth = x1 - x0 + 1;
  const rgba = Buffer.alloc(cropWidth * height * 4);
  for (let y = 0; y < height; y += 1) {
    data.copy(rgba, y * cropWidth * 4, (y * width + x0) * 4, (y * width + x1 + 1) * 4);
  }
  return { rgba, width: cropWidth, height, inkTop: y0, inkBottom: y1 + 1 };
}

/** Escapes text for Pango markup. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** PNG settings for every dataset image: lossless, smallest zlib level, true colour (no palette). */
export const PNG_OPTIONS = { compressionLevel: 9, palette: false, adaptiveFiltering: false } as const;

/** Dark inks: near-black most of the time, otherwise a dark blue, brown, green or red. */
export function drawInk(r: Random): string {
  const bases: [number, number, number][] = [
    [20, 20, 20],
    [20, 20, 20],
    [20, 20, 20],
    [45, 45, 50],
    [24, 36, 74],
    [62, 40, 24],
    [22, 58, 34],
    [86, 20, 24],
  ];
  const [red, green, blue] = r.pick(bases);
  const jitter = () => r.int(-12, 12);
  return hex([red + jitter(), green + jitter(), blue + jitter()]);
}

/** Light papers: white, or a slight tint (cream, grey, blue, yellow, rose, mint). */
export function drawPaper(r: Random): string {
  const bases: [number, number, number][] = [
    [255, 255, 255],
    [255, 255, 255],
    [250, 246, 234],
    [240, 240, 238],
    [238, 243, 250],
    [255, 250, 222],
    [251, 240, 240],
    [238, 248, 240],
  ];
  const [red, green, blue] = r.pick(bases);
  const jitter = () => r.int(-5, 0);
  return hex([red + jitter(), green + jitter(), blue + jitter()]);
}

/** WCAG contrast ratio of two "#rrggbb" colours (1–21); the generator insists on a clear read. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (color: string) => {
    const channel = (offset: number) => {
      const value = Number.parseInt(color.slice(offset, offset + 2), 16) / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function hex(rgb: number[]): string {
  return `#${rgb.map((v) => Math.max(0, Math.min(255, v)).toString(16).padStart(2, "0")).join("")}`;
}

/** Families fontconfig does not know; Pango would silently substitute another font for them. */
export function missingFonts(): string[] | null {
  let listing: string;
  try {
    listing = execFileSync("fc-list", [":", "family"], { encoding: "utf8" });
  } catch {
    return null;
  }
  const known = new Set(listing.split("\n").flatMap((line) => line.split(",").map((name) => name.trim())));
  return FONT_FAMILIES.filter((family) => !known.has(family));
}
