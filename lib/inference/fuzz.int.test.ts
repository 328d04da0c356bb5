// Fuzzing the inference API over real HTTP: thousands of malformed requests (seeded, so a failure
// replays) against the production server with real models. Bad input must get a 4xx with the
// standard error body: never a 5xx, never a hang, and the server must stay up.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { describeError } from "../../kernel/errors";
import { createRandom, type Random } from "../../kernel/random";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, type WebServer } from "../../testing/web-server";

const REQUESTS = 5_000;
const CONCURRENCY = 8;
const MODEL = "ppocr-v4-rec";
const MAX_BODY = 256 * 1024; // a small limit keeps the over-limit cases cheap

interface Case {
  kind: string;
  path: string;
  init: RequestInit;
}

async function sampleImages() {
  const random = createRandom("fuzz-images");
  const pixels = Buffer.from(Array.from({ length: 160 * 48 * 3 }, () => (random.next() < 0.15 ? 0 : 255)));
  const base = sharp(pixels, { raw: { width: 160, height: 48, channels: 3 } });
  return {
    png: await base.clone().png().toBuffer(),
    jpeg: await base.clone().jpeg().toBuffer(),
    webp: await base.clone().webp().toBuffer(),
    bmp: Buffer.concat([Buffer.from("BM"), Buffer.alloc(64, 1)]),
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
    bomb: pngHeaderClaiming(60_000, 60_000),
  };
}

/** A PNG whose header claims a huge canvas: decoding it for real would need gigabytes. */
function pngHeaderClaiming(width: number, height: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", Buffer.alloc(64)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCases(random: Random, images: Awaited<ReturnType<typeof sampleImages>>): Case[] {
  const infer = `/api/v1/models/${MODEL}/infer`;
  const randomBytes = (max: number) =>
    Buffer.from(Array.from({ length: random.int(0, max) }, () => random.int(0, 255)));
  const mutate = (source: Buffer) => {
    const copy = Buffer.from(source);
    for (let i = random.int(1, 12); i > 0; i -= 1) copy[random.int(0, copy.length - 1)] = random.int(0, 255);
    return copy;
  };
  const truncate = (source: Buffer) => source.subarray(0, random.int(1, source.length - 1));
  const json = (body: unknown) => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const multipart = (fields: Array<[string, Blob | string]>) => {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    return { method: "POST", body: form };
  };
  const blob = (bytes: Buffer | string) =>
    new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)]);
  const dataUrl = (bytes: Buffer, type = "image/png") => `data:${type};base64,${bytes.toString("base64")}`;
  const chat = (content: unknown, model = MODEL) => json({ model, messages: [{ role: "user", content }] });

  const generators: Array<() => Case> = [
    () => ({ kind: "empty body", path: infer, init: { method: "POST" } }),
    () => ({
      kind: "random bytes",
      path: infer,
      init: {
        method: "POST",
        headers: {
          "content-type": random.pick(["application/octet-stream", "application/json", "text/plain", ""]),
        },
        body: randomBytes(2048),
      },
    }),
    () => ({
      kind: "random multipart image",
      path: infer,
      init: multipart([["image", blob(randomBytes(4096))]]),
    }),
    () => ({
      kind: "truncated png",
      path: infer,
      init: multipart([["image", blob(truncate(images.png))]]),
    }),
    () => ({
      kind: "truncated jpeg",
      path: infer,
      init: multipart([["image", blob(truncate(images.jpeg))]]),
    }),
    () => ({
      kind: "mutated png",
      path: infer,
      init: multipart([["image", blob(mutate(images.png))]]),
    }),
    () => ({
      kind: "mutated jpeg",
      path: infer,
      init: json({ image: dataUrl(mutate(images.jpeg), "image/jpeg") }),
    }),
    () => ({
      kind: "mutated webp",
      path: infer,
      init: json({ image: mutate(images.webp).toString("base64") }),
    }),
    () => ({
      kind: "decompression bomb",
      path: infer,
      init: multipart([["image", blob(images.bomb)]]),
    }),
    () => ({
      kind: "unsupported format",
      path: infer,
      init: multipart([["image", blob(random.pick([images.bmp, images.svg]))]]),
    }),
    () => ({
      kind: "over body limit",
      path: infer,
      init: multipart([["image", blob(Buffer.alloc(MAX_BODY + random.int(1, 1024)))]]),
    }),
    () => ({
      kind: "invalid json",
      path: infer,
      init: {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: random.pick(["{", '{"image":', "[1,2", "nul", '{"image":"x"}}']),
      },
    }),
    () => ({
      kind: "wrong json types",
      path: infer,
      init: json(
        random.pick([
          [],
          42,
          "str",
          null,
          { image: 7 },
          { image: ["a"] },
          { image: {} },
          {},
          { prompt: "x" },
        ]),
      ),
    }),
    () => ({
      kind: "bad base64",
      path: infer,
      init: json({
        image: random.pick([
          "%%%%",
          "a",
          "data:image/png,notbase64",
          "data:;base64,@@@",
          "data:image/png;base64,",
          "====",
        ]),
      }),
    }),
    () => ({
      kind: "prompt too long",
      path: infer,
      init: json({ image: images.png.toString("base64"), prompt: "x".repeat(4097 + random.int(0, 100)) }),
    }),
    () => ({
      kind: "prompt wrong type",
      path: infer,
      init: json({ image: images.png.toString("base64"), prompt: random.pick([1, [], {}, true]) }),
    }),
    () => ({ kind: "multipart without image", path: infer, init: multipart([["prompt", "hello"]]) }),
    () => ({ kind: "multipart image as text", path: infer, init: multipart([["image", "not a file"]]) }),
    () => ({
      kind: "multipart prompt as file",
      path: infer,
      init: multipart([
        ["image", blob(images.png)],
        ["prompt", blob("x")],
      ]),
    }),
    () => ({
      kind: "broken multipart",
      path: infer,
      init: {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=zzz" },
        body: random.pick([
          '--zzz\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc',
          "garbage",
          "--zzz--",
        ]),
      },
    }),
    () => ({
      kind: "unsupported content type",
      path: infer,
      init: {
        method: "POST",
        headers: { "content-type": random.pick(["text/csv", "image/png", "application/xml"]) },
        body: images.png,
      },
    }),
    () => ({
      kind: "unknown model",
      path: `/api/v1/models/${encodeURIComponent(random.pick(["nope", "../../etc/passwd", "ü-model", "x".repeat(300), "%00"]))}/infer`,
      init: multipart([["image", blob(images.png)]]),
    }),
    () => ({
      kind: "bad timeout header",
      path: infer,
      init: {
        ...multipart([["image", blob(images.png)]]),
        headers: { "x-request-timeout-ms": random.pick(["-1", "abc", "1e9", "0", "1.5"]) },
      },
    }),
    () => ({
      kind: "chat: invalid",
      path: "/v1/chat/completions",
      init: json(
        random.pick([
          {},
          { model: MODEL },
          { model: MODEL, messages: [] },
          { messages: [{ role: "user", content: "hi" }] },
          { model: 3, messages: 4 },
        ]),
      ),
    }),
    () => ({
      kind: "chat: no image",
      path: "/v1/chat/completions",
      init: chat(random.pick(["just text", [{ type: "text", text: "read this" }]])),
    }),
    () => ({
      kind: "chat: remote url",
      path: "/v1/chat/completions",
      init: chat([{ type: "image_url", image_url: { url: "http://127.0.0.1:1/x.png" } }]),
    }),
    () => ({
      kind: "chat: mutated image",
      path: "/v1/chat/completions",
      init: chat([
        { type: "text", text: "what does it say?" },
        { type: "image_url", image_url: { url: dataUrl(mutate(images.png)) } },
      ]),
    }),
    () => ({
      kind: "chat: stream",
      path: "/v1/chat/completions",
      init: {
        ...chat([{ type: "image_url", image_url: dataUrl(images.png) }]),
        body: JSON.stringify({
          model: MODEL,
          stream: true,
          messages: [{ role: "user", content: [{ type: "image_url", image_url: dataUrl(images.png) }] }],
        }),
      },
    }),
    () => ({
      kind: "chat: unknown model",
      path: "/v1/chat/completions",
      init: chat([{ type: "image_url", image_url: dataUrl(images.png) }], "no-such-model"),
    }),
  ];
  return Array.from({ length: REQUESTS }, () => random.pick(generators)());
}

describe("inference API fuzzing", () => {
  let database: TestDatabase;
  let server: WebServer;

  before(async () => {
    database = await createTestDatabase({ prefix: "faultline_fuzz" });
    server = await startWebServer({
      DATABASE_URL: database.url,
      FAULTLINE_MODELS: MODEL,
      INFER_MAX_BODY_BYTES: String(MAX_BODY),
    });
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  it(`answers ${REQUESTS} malformed requests with 4xx (or a real answer), never 5xx, and stays up`, async () => {
    const cases = makeCases(createRandom("fuzz-v1"), await sampleImages());
    const byStatus = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const item = cases[index] as Case;
        let response: Response;
        let text: string;
        try {
          response = await fetch(`${server.url}${item.path}`, {
            ...item.init,
            signal: AbortSignal.timeout(30_000),
          });
          text = await response.text();
        } catch (error) {
          // A reset or a hang is as bad as a 5xx: the client never gets its answer.
          failures.push(`#${index} ${item.kind}: no answer (${describeError(error)})`);
          continue;
        }
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        if (response.status >= 500)
          failures.push(`#${index} ${item.kind}: ${response.status} ${text.slice(0, 300)}`);
        else if (response.status >= 400) {
          const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          if (typeof body.error?.code !== "string" || typeof body.error?.message !== "string") {
            failures.push(
              `#${index} ${item.kind}: ${response.status} without the error shape: ${text.slice(0, 200)}`,
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`statuses: ${JSON.stringify(Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)))}`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} bad answers`);
    assert.equal(
      [...byStatus.values()].reduce((a, b) => a + b, 0),
      REQUESTS,
    );
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200, "the server must still be up");
    assert.equal(server.child.exitCode, null);
  });
});
