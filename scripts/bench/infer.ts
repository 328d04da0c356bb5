// bench:infer — what the HTTP path costs on top of the model, and what queueing buys.
// 1. Latency: the same images through POST /api/v1/models/ppocr-v4-rec/infer (production server,
//    one request at a time) against the same kind of session called in-process (decode + infer),
//    in alternating blocks in one run; medians, P99s and their ratio.
// 2. Throughput and P99 at 1, 4 and 16 concurrent callers: calls through the bounded session
//    pool (concurrency 1, FIFO queue) against the same calls on the session with no limit.
// 3. Overload, open model: arrivals at 1.5× the measured capacity for a few seconds. Unbounded,
//    every request waits and latency climbs for as long as the overload lasts; bounded (queue of
//    8), the excess is shed at once with 429 and accepted requests keep a bounded latency.
import path from "node:path";
import { loadDataset, readImage } from "../../lib/datasets/load";
import { projectRoot } from "../../lib/env";
import { createPpocrRecEngine } from "../../lib/inference/engines/ppocr";
import { decodeImage } from "../../lib/inference/image-decode";
import { SessionPool } from "../../lib/inference/session-pool";
import type { Engine, RawImage } from "../../lib/inference/types";
import { loadManifest } from "../../lib/models/manifest";
import { encodeMultipart } from "../../lib/net/multipart-body";
import { createHttpTransport } from "../../lib/runner/send-http";
import { createTestDatabase } from "../../testing/database";
import { startWebServer } from "../../testing/web-server";
import { withBenchServer } from "./server";
import { formatMs, median, percentile } from "./stats";

const MODEL = "ppocr-v4-rec";
const IMAGES = 100;
const ROUNDS = 3;
const BLOCK = 20;

export async function benchInfer(): Promise<void> {
  const root = projectRoot();
  const dataset = await loadDataset(path.join(root, "datasets", "textline-v1"));
  const items = dataset.items.slice(0, IMAGES);
  const { readFile } = await import("node:fs/promises");
  const pngs = await Promise.all(items.map((item) => readFile(item.imagePath)));
  const engine = await createEngineFor(root);

  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench_infer" });
    const web = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS: MODEL });
    try {
      await latencyComparison(web.url, engine, pngs);
    } finally {
      await web.stop();
      await database.drop();
    }
  });
  const images = await Promise.all(items.map((item) => readImage(item)));
  const capacityPerSecond = await throughputComparison(engine, images);
  await overloadComparison(engine, images, capacityPerSecond);
  await engine.close();
}

async function createEngineFor(root: string): Promise<Engine> {
  const loaded = await loadManifest(path.join(root, "models", MODEL, "manifest.json"));
  const params = loaded.manifest.params as { dictionary: string; threads?: number };
  return createPpocrRecEngine({
    name: MODEL,
    modelPath: loaded.artifactPath as string,
    dictPath: path.resolve(path.dirname(loaded.file), params.dictionary),
    intraOpThreads: params.threads,
  });
}

async function latencyComparison(url: string, engine: Engine, pngs: Buffer[]): Promise<void> {
  const http: number[] = [];
  const inProcess: number[] = [];
  const inferOnly: number[] = [];
  // The runner's lean keep-alive transport and bodies encoded up front, as a load generator
  // would: the figure is what the server path costs, not what fetch's FormData encoder costs.
  const transport = createHttpTransport();
  const inferUrl = new URL(`/api/v1/models/${MODEL}/infer`, url);
  const noAbort = new AbortController().signal;
  const bodies = new Map(
    await Promise.all(
      pngs.map(
        async (png) =>
          [png, await encodeMultipart({ field: "image", bytes: png, type: "image/png" })] as const,
      ),
    ),
  );
  const send = async (png: Buffer) => {
    const { body, contentType } = bodies.get(png) as { body: Buffer; contentType: string };
    const started = performance.now();
    const response = await transport.request(
      inferUrl,
      "POST",
      { "content-type": contentType },
      body,
      noAbort,
    );
    JSON.parse(response.body.toString("utf8"));
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return performance.now() - started;
  };
  const local = async (png: Buffer) => {
    const started = performance.now();
    const { image } = await decodeImage(png, 25_000_000);
    const output = await engine.infer({ image });
    return { total: performance.now() - started, infer: output.inferMs };
  };
  for (const png of pngs.slice(0, 10)) {
    await send(png);
    await local(png);
  }
  // Alternating blocks (ABAB…), so drift in machine load hits both paths alike. Not alternating
  // per request: ONNX Runtime's threads spin for a while after each run, and the other process's
  // spinning threads would then slow whichever path ran next (13.6 → 21 ms per run on 2 cores).
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let start = 0; start < pngs.length; start += BLOCK) {
      const block = pngs.slice(start, start + BLOCK);
      for (const png of block) http.push(await send(png));
      for (const png of block) {
        const measured = await local(png);
        inProcess.push(measured.total);
        inferOnly.push(measured.infer);
      }
    }
  }
  const ratio = median(http) / median(inProcess);
  console.log(`\nbench:infer — latency, ${MODEL}, ${pngs.length} images × ${ROUNDS} rounds, one at a time`);
  console.log(
    `  in-process session.run only     p50 ${formatMs(median(inferOnly))}  p99 ${formatMs(percentile(inferOnly, 99))}`,
  );
  console.log(
    `  in-process decode + infer       p50 ${formatMs(median(inProcess))}  p99 ${formatMs(percentile(inProcess, 99))}`,
  );
  console.log(
    `  HTTP POST …/infer (multipart)   p50 ${formatMs(median(http))}  p99 ${formatMs(percentile(http, 99))}`,
  );
  console.log(`  HTTP / in-process at the median ${ratio.toFixed(3)} (+${((ratio - 1) * 100).toFixed(1)}%)`);
  transport.close();
}

async function throughputComparison(engine: Engine, images: RawImage[]): Promise<number> {
  const pool = new SessionPool(MODEL, 1, 10_000);
  const callsPerLevel = 240;
  console.log(`\nbench:infer — throughput, ${callsPerLevel} calls per level, in-process`);
  console.log("  callers  bounded (pool of 1, FIFO)        unbounded (every call on the session)");
  let capacity = 0;
  for (const callers of [1, 4, 16]) {
    const bounded = await drive(callers, callsPerLevel, images, async (image) => {
      await pool.run(() => engine.infer({ image }), 600_000);
    });
    const unbounded = await drive(callers, callsPerLevel, images, async (image) => {
      await engine.infer({ image });
    });
    console.log(
      `  ${String(callers).padStart(7)}  ${formatLevel(bounded).padEnd(32)} ${formatLevel(unbounded)}`,
    );
    if (callers === 1) capacity = bounded.perSecond;
  }
  return capacity;
}

async function overloadComparison(
  engine: Engine,
  images: RawImage[],
  capacityPerSecond: number,
): Promise<void> {
  const seconds = 6;
  const rate = capacityPerSecond * 1.5;
  console.log(
    `\nbench:infer — overload: open-model arrivals at ${rate.toFixed(1)}/s (1.5× capacity) for ${seconds} s`,
  );
  for (const [label, queueSize] of [
    ["bounded (queue 8, shed)", 8],
    ["unbounded (queue ∞)", Number.MAX_SAFE_INTEGER],
  ] as const) {
    const pool = new SessionPool(MODEL, 1, queueSize);
    const latencies: number[] = [];
    let shed = 0;
    const pending: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < rate * seconds; i += 1) {
      const intended = started + (i * 1000) / rate;
      const wait = intended - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const image = images[i % images.length] as RawImage;
      pending.push(
        pool
          .run(() => engine.infer({ image }), 600_000)
          .then(
            // Latency from the intended send time, so a late generator cannot hide queueing.
            () => {
              latencies.push(performance.now() - intended);
            },
            () => {
              shed += 1;
            },
          ),
      );
    }
    await Promise.all(pending);
    console.log(
      `  ${label.padEnd(24)} served ${String(latencies.length).padStart(4)}  shed ${String(shed).padStart(4)}  ` +
        `p50 ${formatMs(median(latencies))}  p99 ${formatMs(percentile(latencies, 99))}`,
    );
  }
}

interface LevelResult {
  perSecond: number;
  p50: number;
  p99: number;
}

async function drive(
  callers: number,
  calls: number,
  images: RawImage[],
  call: (image: RawImage) => Promise<void>,
): Promise<LevelResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < calls) {
        const image = images[next++ % images.length] as RawImage;
        const begun = performance.now();
        await call(image);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: calls / seconds, p50: median(latencies), p99: percentile(latencies, 99) };
}

function formatLevel(result: LevelResult): string {
  return `${result.perSecond.toFixed(1)}/s p50 ${formatMs(result.p50)} p99 ${formatMs(result.p99)}`;
}
