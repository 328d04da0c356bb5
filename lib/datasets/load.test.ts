import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { AppError } from "../../kernel/errors";
import { datasetDigest, listDatasets, loadDataset, readImage } from "./load";

const datasetsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../datasets");
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

describe("committed datasets", () => {
  it("lists textline-v1 and document-v1 with their tasks", async () => {
    const listed = await listDatasets(datasetsDir);
    const byName = new Map(listed.map((d) => [d.manifest.name, d.manifest.task]));
    assert.equal(byName.get("textline-v1"), "ocr.line");
    assert.equal(byName.get("document-v1"), "ocr.document");
  });

  it("textline-v1: ≥ 500 lines of printable text, every image decodes, digest matches", async () => {
    const dir = path.join(datasetsDir, "textline-v1");
    const { manifest, items } = await loadDataset(dir);
    assert.ok(items.length >= 500, `${items.length} items`);
    assert.equal(manifest.sha256, await datasetDigest(dir));
    for (const item of items) {
      assert.equal(item.task, "ocr.line");
      assert.match(item.text ?? "", PRINTABLE_ASCII, `item ${item.id}`);
      assert.equal(item.text, item.text?.trim(), `item ${item.id} has no outer spaces`);
      const image = await readImage(item);
      assert.equal(image.data.length, image.width * image.height * 3);
      assert.deepEqual([image.width, image.height], [item.meta.width, item.meta.height], `item ${item.id}`);
    }
    const categories = new Set(items.map((i) => i.meta.category));
    assert.equal(categories.size, 9);
  });

  it("document-v1: ≥ 100 pages whose line boxes lie inside the image, top to bottom", async () => {
    const dir = path.join(datasetsDir, "document-v1");
    const { manifest, items } = await loadDataset(dir);
    assert.ok(items.length >= 100, `${items.length} items`);
    assert.equal(manifest.sha256, await datasetDigest(dir));
    for (const item of items) {
      assert.equal(item.task, "ocr.document");
      const lines = item.lines ?? [];
      assert.ok(lines.length >= 2, `item ${item.id}`);
      const image = await readImage(item);
      assert.ok(
        Math.max(image.width, image.height) <= 960,
        `item ${item.id} is ${image.width}x${image.height}`,
      );
      let previousBottom = 0;
      for (const { text, box } of lines) {
        assert.match(text, PRINTABLE_ASCII);
        const [x0, y0, x1, y1] = box;
        assert.ok(
          x0 >= 0 && y0 >= previousBottom && x1 <= image.width && y1 <= image.height,
          `${item.id}: ${box}`,
        );
        previousBottom = y1;
      }
    }
  });

  it("draws ink inside each document box and leaves the gaps between lines blank", async () => {
    const { items } = await loadDataset(path.join(datasetsDir, "document-v1"));
    const item = items[0]!;
    const image = await readImage(item);
    const dark = (x: number, y: number) => (image.data[(y * image.width + x) * 3] ?? 255) < 128;
    const lines = item.lines!;
    for (const [index, { box }] of lines.entries()) {
      const [x0, y0, x1, y1] = box;
      let inked = 0;
      for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) if (dark(x, y)) inked += 1;
      assert.ok(inked > 0, `line ${index} has ink`);
      const nextTop = lines[index + 1]?.box[1];
      if (nextTop === undefined) continue;
      for (let y = y1 + 1; y < nextTop - 1; y += 1) {
        for (let x = 0; x < image.width; x += 1) assert.ok(!dark(x, y), `gap row ${y} under line ${index}`);
      }
    }
  });
});

describe("loadDataset errors", () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "faultline-datasets-test-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function makeDataset(name: string, labels: string, manifest: Record<string, unknown> = {}) {
    const dir = path.join(scratch, name);
    await mkdir(path.join(dir, "images"), { recursive: true });
    await sharp({ create: { width: 8, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toFile(path.join(dir, "images", "a.png"));
    await writeFile(path.join(dir, "labels.jsonl"), labels);
    const sha256 = await datasetDigest(dir);
    await writeFile(
      path.join(dir, "manifest.json"),
      JSON.stringify({
        name,
        task: "ocr.line",
        version: "1",
        license: "CC0-1.0",
        itemCount: 1,
        sha256,
        ...manifest,
      }),
    );
    return dir;
  }

  const rejects = (promise: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.match(error.message, pattern);
      return true;
    });

  it("names the file and line of a bad JSON line", async () => {
    const dir = await makeDataset(
      "bad-json",
      '{"id":"a","image":"images/a.png","text":"ok"}\n\n{"id": oops}\n',
    );
    await rejects(loadDataset(dir), /labels\.jsonl:3: not valid JSON/);
  });

  it("names the file, line and field of a label that breaks the schema", async () => {
    const dir = await makeDataset("bad-label", '{"id":"a","image":"images/a.png","text":""}\n');
    await rejects(loadDataset(dir), /labels\.jsonl:1: text /);
  });

  it("refuses repeated ids and images outside the folder", async () => {
    const twice =
      '{"id":"a","image":"images/a.png","text":"x"}\n{"id":"a","image":"images/a.png","text":"y"}\n';
    await rejects(
      loadDataset(await makeDataset("twice", twice)),
      /labels\.jsonl:2: id "a" is already used on line 1/,
    );
    const outside = '{"id":"a","image":"../secret.png","text":"x"}\n';
    await rejects(loadDataset(await makeDataset("outside", outside)), /labels\.jsonl:1: image .* outside/);
  });

  it("checks the item count and, when asked, the digest against the manifest", async () => {
    const label = '{"id":"a","image":"images/a.png","text":"x","category":"word"}\n';
    await rejects(
      loadDataset(await makeDataset("count", label, { itemCount: 2 })),
      /has 1 items but .*itemCount 2/,
    );
    const tampered = await makeDataset("tampered", label, { sha256: "0".repeat(64) });
    await loadDataset(tampered);
    await rejects(loadDataset(tampered, { verifyDigest: true }), /does not match its manifest/);
  });

  it("explains a bad manifest and a missing folder", async () => {
    const dir = await makeDataset("bad-manifest", "", { task: "ocr.poem" });
    await rejects(loadDataset(dir), /manifest\.json is not a valid dataset manifest: task/);
    await rejects(loadDataset(path.join(scratch, "nowhere")), /manifest\.json could not be read/);
  });

  it("keeps extra label fields as meta and decodes transparent PNGs to RGB on white", async () => {
    const dir = await makeDataset("meta", '{"id":"a","image":"images/a.png","text":"x","font":"Serif"}\n');
    const { items } = await loadDataset(dir, { verifyDigest: true });
    assert.deepEqual(items[0]?.meta, { font: "Serif" });
    const image = await readImage(items[0]!);
    assert.deepEqual([image.width, image.height, image.data.length], [8, 4, 8 * 4 * 3]);
    assert.ok(image.data.every((v) => v === 255));
    await rejects(readImage({ id: "gone", imagePath: path.join(dir, "images", "gone.png") }), /item gone/);
  });

  it("digests labels.jsonl and images/ only, like `sha256sum labels.jsonl images/* | sha256sum`", async () => {
    const dir = await makeDataset("digest", '{"id":"a","image":"images/a.png","text":"x"}\n');
    const before = await datasetDigest(dir);
    await writeFile(path.join(dir, "README.md"), "not part of the digest");
    assert.equal(await datasetDigest(dir), before);
    await writeFile(path.join(dir, "images", "b.png"), "extra");
    assert.notEqual(await datasetDigest(dir), before);
    assert.ok(existsSync(path.join(dir, "manifest.json")));
  });
});
