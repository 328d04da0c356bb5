// Shared by the corruption tests: synthetic images (a text-like line and a colourful scene, built
// from a seed so no binary fixtures live in the repository), image-change measures, and the contract
// every image corruption must keep.
import assert from "node:assert/strict";
import { it } from "node:test";
import { AppError } from "../../kernel/errors";
import type { RawImage } from "../../kernel/image";
import { createRandom, type Random } from "../../kernel/random";
import type { Severity } from "./severity";

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4, 5];

/** Glyph-like strokes on slightly uneven paper, like a 48-px PP-OCR recognition crop. */
export function textLineImage(width = 320, height = 48, seed = 1): RawImage {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const paper = 236 + Math.round(8 * Math.sin(x / 37) * Math.cos(y / 11));
      data.set([paper, paper - 2, paper - 6], (y * width + x) * 3);
    }
  }
  const stroke = Math.max(2, Math.round(height / 12));
  const glyphHeight = Math.round(height * 0.6);
  const top = Math.round((height - glyphHeight) / 2);
  for (let left = 8; left + glyphHeight / 2 < width - 8; left += Math.round(glyphHeight * 0.7)) {
    if (random.next() < 0.15) continue; // a space between words
    const glyphWidth = Math.round(glyphHeight * 0.5);
    const ink = random.int(10, 60);
    for (let s = 0; s < 3; s += 1) {
      const vertical = random.next() < 0.5;
      const x0 = left + (vertical ? random.int(0, glyphWidth - stroke) : 0);
      const y0 = top + (vertical ? 0 : random.int(0, glyphHeight - stroke));
      const x1 = vertical ? x0 + stroke : left + glyphWidth;
      const y1 = vertical ? top + glyphHeight : y0 + stroke;
      for (let y = y0; y < y1; y += 1) {
        for (let x = x0; x < x1; x += 1) data.set([ink, ink, ink + 10], (y * width + x) * 3);
      }
    }
  }
  return { data, width, height };
}

/** Smooth colour gradients with a few solid shapes: a stand-in for a VQA photo. */
export function sceneImage(width = 96, height = 72, seed = 2): RawImage {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      data.set(
        [
          Math.round((255 * x) / width),
          Math.round((255 * y) / height),
          128 + Math.round(60 * Math.sin(x / 9)),
        ],
        (y * width + x) * 3,
      );
    }
  }
  for (let shape = 0; shape < 6; shape += 1) {
    const w = Math.min(width, random.int(8, 24));
    const h = Math.min(height, random.int(8, 24));
    const left = random.int(0, width - w);
    const top = random.int(0, height - h);
    const colour = [random.int(0, 255), random.int(0, 255), random.int(0, 255)];
    for (let y = top; y < top + h; y += 1) {
      for (let x = left; x < left + w; x += 1) data.set(colour, (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

/** Mean absolute difference per byte between two images of the same size. */
export function meanAbsoluteDifference(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 1) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / a.data.length;
}

/** Mean absolute horizontal + vertical gradient of the grey image: falls as an image gets blurrier. */
export function sharpness(image: RawImage): number {
  const { width, height, data } = image;
  const grey = (x: number, y: number) => {
    const offset = (y * width + x) * 3;
    return ((data[offset] as number) + (data[offset + 1] as number) + (data[offset + 2] as number)) / 3;
  };
  let sum = 0;
  for (let y = 0; y < height - 1; y += 1) {
    for (let x = 0; x < width - 1; x += 1) {
      sum += Math.abs(grey(x + 1, y) - grey(x, y)) + Math.abs(grey(x, y + 1) - grey(x, y));
    }
  }
  return sum / ((width - 1) * (height - 1));
}

/** Share of pixels whose RGB value differs between two images of the same size. */
export function changedPixelShare(a: RawImage, b: RawImage): number {
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) {
      changed += 1;
    }
  }
  return changed / (a.width * a.height);
}

export interface CorruptionContract {
  corruption: (image: RawImage, severity: Severity, random: Random) => Promise<RawImage>;
  /** Whether the output depends on the random stream (else every seed gives the same bytes). */
  random: boolean;
  /** A measure of change from the original that must strictly grow with severity. */
  change: (original: RawImage, corrupted: RawImage) => number;
  changeName: string;
}

/** Registers the tests every image corruption must pass; call inside a describe(). */
export function itKeepsTheCorruptionContract(contract: CorruptionContract): void {
  const { corruption } = contract;
  const images = { line: textLineImage(), scene: sceneImage() };

  it("gives identical bytes for the same seed, and leaves its input untouched", async () => {
    for (const image of Object.values(images)) {
      const before = new Uint8Array(image.data);
      for (const severity of SEVERITIES) {
        const first = await corruption(image, severity, createRandom("same"));
        const second = await corruption(image, severity, createRandom("same"));
        assert.deepEqual(first.data, second.data);
      }
      assert.deepEqual(image.data, before);
    }
  });

  it(
    contract.random ? "gives different bytes for different seeds" : "does not depend on the seed",
    async () => {
      const outputs = await Promise.all(
        [1, 2, 3, 4].map((seed) => corruption(images.line, 3, createRandom(seed))),
      );
      const distinct = new Set(outputs.map((output) => Buffer.from(output.data).toString("base64")));
      // A random sign can repeat between two seeds, so four seeds must give at least two outputs.
      if (contract.random) assert.ok(distinct.size >= 2, `only ${distinct.size} distinct output(s)`);
      else assert.equal(distinct.size, 1);
    },
  );

  it("keeps the dimensions and returns a plain RGB Uint8Array", async () => {
    for (const image of [...Object.values(images), textLineImage(17, 5), sceneImage(1, 1)]) {
      for (const severity of SEVERITIES) {
        const output = await corruption(image, severity, createRandom(3));
        assert.equal(output.width, image.width);
        assert.equal(output.height, image.height);
        assert.equal(output.data.length, image.width * image.height * 3);
        assert.equal(Object.getPrototypeOf(output.data), Uint8Array.prototype);
      }
    }
  });

  it(`changes the image more at each severity (${contract.changeName})`, async () => {
    for (const [name, image] of Object.entries(images)) {
      const changes: number[] = [];
      for (const severity of SEVERITIES) {
        let total = 0;
        for (const seed of [11, 12, 13]) {
          total += contract.change(image, await corruption(image, severity, createRandom(seed)));
        }
        changes.push(total / 3);
      }
      for (let i = 1; i < changes.length; i += 1) {
        assert.ok(
          (changes[i] as number) > (changes[i - 1] as number),
          `${name}: ${contract.changeName} by severity ${changes.map((c) => c.toFixed(3)).join(", ")}`,
        );
      }
    }
  });

  it("rejects severities outside 1–5 and malformed images", async () => {
    for (const severity of [0, 6, 2.5, Number.NaN, -1]) {
      await assert.rejects(
        corruption(images.line, severity as Severity, createRandom(1)),
        (error: unknown) => error instanceof AppError && error.code === "invalid_severity",
      );
    }
    await assert.rejects(
      corruption({ data: new Uint8Array(10), width: 2, height: 2 }, 1, createRandom(1)),
      (error: unknown) => error instanceof AppError && error.code === "invalid_image",
    );
  });
}
