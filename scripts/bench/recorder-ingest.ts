// bench:runner (d) — the recorder's ingest into PostgreSQL: realistic windows (two compressed HDR
// histograms of a busy second each) through insertWindows into the real `windows` table of a
// freshly migrated database, in the recorder's batches; windows/s and the requests/s they carry.
// The same ingest again with per-item rows alongside (one item_results row per request, batched
// as the recorder batches them), measured in the same run, so the two rates compare.
import pg from "pg";
import { createHistogram, encodeHistogram, recordLatencyMs } from "../../lib/metrics/histogram";
import type { ItemResultRecord } from "../../lib/runner/item-results";
import { insertItemResults, insertWindows, type WindowRecord } from "../../lib/runner/window-store";
import { emptyCounts } from "../../lib/runner/windows";
import { createTestDatabase } from "../../testing/database";
import { seedArm } from "./db-ingest";
import { withBenchServer } from "./server";
import { median } from "./stats";

const WINDOWS = 20_000;
/** Windows of the with-item-rows variant: 500,000 item rows, 2.5 times the per-run cap. */
const ITEM_WINDOWS = 5_000;
const BATCH = 1000;
/** The recorder writes item rows in batches of five window batches. */
const ITEM_BATCH = 5 * BATCH;
const REQUESTS_PER_WINDOW = 100;

export async function benchRecorderIngest(): Promise<void> {
  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench_ingest" });
    try {
      const rates: number[] = [];
      const plainRates: number[] = [];
      const itemRates: number[] = [];
      for (let repeat = 0; repeat < 3; repeat += 1) {
        rates.push(await ingest(database.url, WINDOWS, false));
        // Alike sizes for the pair that is compared, interleaved so drift hits both.
        plainRates.push(await ingest(database.url, ITEM_WINDOWS, false));
        itemRates.push(await ingest(database.url, ITEM_WINDOWS, true));
      }
      const windowsPerSecond = median(rates);
      console.log(
        `\nbench:runner — (d) recorder ingest into PostgreSQL, ${WINDOWS.toLocaleString("en")} windows, median of 3`,
      );
      console.log(`  ${Math.round(windowsPerSecond).toLocaleString("en")} windows/s`);
      console.log(
        `  ${Math.round(windowsPerSecond * REQUESTS_PER_WINDOW).toLocaleString("en")} requests/s at ${REQUESTS_PER_WINDOW} requests per window (one target-second at 100 req/s)`,
      );
      const plain = median(plainRates);
      const withItems = median(itemRates);
      console.log(
        `  ${ITEM_WINDOWS.toLocaleString("en")} windows, median of 3, interleaved: ${Math.round(plain).toLocaleString("en")} windows/s without item rows, ${Math.round(withItems).toLocaleString("en")} windows/s with ${REQUESTS_PER_WINDOW} item rows each (${Math.round(withItems * REQUESTS_PER_WINDOW).toLocaleString("en")} item rows/s; ratio ${(withItems / plain).toFixed(3)})`,
      );
    } finally {
      await database.drop();
    }
  });
}

async function makeRows(url: string, count: number): Promise<WindowRecord[]> {
  const armId = await seedArm(url);
  const histogram = createHistogram();
  for (let i = 0; i < REQUESTS_PER_WINDOW; i += 1) recordLatencyMs(histogram, 10 + ((i * 37) % 200) + i / 7);
  const bytes = encodeHistogram(histogram);
  return Array.from({ length: count }, (_, second) => ({
    ...emptyCounts(),
    armId,
    phase: "steady",
    second,
    ok: REQUESTS_PER_WINDOW,
    correct: 95,
    scored: REQUESTS_PER_WINDOW,
    latencyHistogram: bytes,
    serviceHistogram: bytes,
    failedLatencyHistogram: null,
    maxSendLagMs: 1,
  }));
}

/** Windows/s of one ingest of `count` windows (and their item rows) into a new arm. */
async function ingest(url: string, count: number, withItems: boolean): Promise<number> {
  const rows = await makeRows(url, count);
  const items = withItems ? await makeItemRows(url, rows) : [];
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const started = performance.now();
  let itemsWritten = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    await insertWindows(pool, rows.slice(i, i + BATCH));
    const upTo = Math.min(items.length, (i + BATCH) * REQUESTS_PER_WINDOW);
    for (; itemsWritten < upTo; itemsWritten += ITEM_BATCH)
      await insertItemResults(pool, items.slice(itemsWritten, Math.min(upTo, itemsWritten + ITEM_BATCH)));
  }
  const rate = rows.length / ((performance.now() - started) / 1000);
  await pool.end();
  return rate;
}

/** One row per request of each window: 200 items, 5 % wrong, 2 % failed with an error. */
async function makeItemRows(url: string, windows: readonly WindowRecord[]): Promise<ItemResultRecord[]> {
  const armId = windows[0]?.armId as string;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ run_id: string }>("select run_id from run_arms where id = $1", [
    armId,
  ]);
  await client.end();
  const runId = rows[0]?.run_id as string;
  return windows.flatMap((window) =>
    Array.from({ length: REQUESTS_PER_WINDOW }, (_, index): ItemResultRecord => {
      const arrival = window.second * REQUESTS_PER_WINDOW + index;
      const failed = arrival % 50 === 0;
      return {
        runId,
        armId,
        arrival,
        itemKey: `item-${String(arrival % 200).padStart(4, "0")}|gaussian_noise:3`,
        phase: window.phase,
        second: window.second,
        outcome: failed ? "http_5xx" : "ok",
        latencyMs: 10 + ((arrival * 37) % 200),
        answer: failed ? null : `answer ${arrival % 7}`,
        correct: failed ? null : arrival % 20 !== 0,
        servedBy: null,
        error: failed ? "HTTP 503" : null,
      };
    }),
  );
}
