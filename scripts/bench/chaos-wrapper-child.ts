// bench:chaos (a), run in a child process that has DATABASE_URL set (the chaos runtime reads its
// leases from PostgreSQL): the inference route's handler with withChaos and with no fault active,
// against the same handler without the wrapper, in one process on one model session, alternating
// blocks. Prints one JSON line of results for chaos.ts.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { NO_CHAOS } from "../../lib/chaos/request-chaos";
import { getChaosRuntime } from "../../lib/chaos/runtime";
import { withChaos } from "../../lib/chaos/with-chaos";
import { loadDataset } from "../../lib/datasets/load";
import { projectRoot } from "../../lib/env";
import { getModelServer } from "../../lib/inference/runtime";
import { encodeMultipart } from "../../lib/net/multipart-body";
import { inferHandler, inferRoute } from "../../lib/server/data-plane";

const MODEL = "ppocr-v4-rec";
const ROUNDS = 10;
const LATENCY_CALLS = 80;
const THROUGHPUT_CALLS = 200;
const CALLERS = 4;

type Body = { body: Buffer; contentType: string };
type Handler = (request: Request) => Promise<Response>;

const dataset = await loadDataset(path.join(projectRoot(), "datasets", "textline-v1"));
const bodies: Body[] = await Promise.all(
  dataset.items
    .slice(0, 60)
    .map(async (item) =>
      encodeMultipart({ field: "image", bytes: await readFile(item.imagePath), type: "image/png" }),
    ),
);
await Promise.all([getModelServer(), getChaosRuntime()]);
const sides: Record<"wrapped" | "bare", Handler> = {
  wrapped: inferHandler(MODEL),
  bare: (request) => inferRoute(MODEL)(request, NO_CHAOS),
};

async function closedLoop(handler: Handler, total: number, callers: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        const { body, contentType } = bodies[next++ % bodies.length] as Body;
        const sent = performance.now();
        const request = new Request("http://bench/api/v1/models/infer", {
          method: "POST",
          headers: { "content-type": contentType },
          body: new Uint8Array(body),
        });
        const response = await handler(request);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { latencies, perSecond: total / ((performance.now() - started) / 1000) };
}

for (const handler of Object.values(sides)) await closedLoop(handler, 30, 1);
const latency = { wrapped: [] as number[], bare: [] as number[] };
const rates = { wrapped: [] as number[], bare: [] as number[] };
for (let round = 0; round < ROUNDS; round += 1) {
  const order = round % 2 === 0 ? (["wrapped", "bare"] as const) : (["bare", "wrapped"] as const);
  for (const side of order) {
    latency[side].push(...(await closedLoop(sides[side], LATENCY_CALLS, 1)).latencies);
    rates[side].push((await closedLoop(sides[side], THROUGHPUT_CALLS, CALLERS)).perSecond);
  }
}
// The wrapper alone, around a handler that does nothing: its cost per call in nanoseconds.
const empty = async () => new Response(null);
const wrappedEmpty = withChaos(empty);
const emptyRequest = new Request("http://bench/");
const perCallNs = async (handler: Handler) => {
  const calls = 200_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) await handler(emptyRequest);
  return Number(process.hrtime.bigint() - started) / calls;
};
const overheadNs = (await perCallNs(wrappedEmpty)) - (await perCallNs(empty));
console.log(JSON.stringify({ latency, rates, callers: CALLERS, rounds: ROUNDS, overheadNs }));
process.exit(0);
