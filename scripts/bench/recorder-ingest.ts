// bench:runner (d) — the recorder's ingest into PostgreSQL: realistic windows (two compressed HDR
// histograms of a busy second each) through insertWindows into the real `windows` table of a
// freshly migrated database, in the recorder's batches; windows/s and the requests/s they carry.
import pg from "pg";
import { createHistogram, encodeHistogram, recordLatencyMs } from "../../lib/metrics/histogram";
import { insertWindows, type WindowRecord } from "../../lib/runner/window-store";
import { emptyCounts } from "../../lib/runner/windows";
import { createTestDatabase } from "../../testing/database";
import { seedArm } from "./db-ingest";
import { withBenchServer } from "./server";
import { median } from "./stats";

const WINDOWS = 20_000;
const BATCH = 1000;
const REQUESTS_PER_WINDOW = 100;

export async function benchRecorderIngest(): Promise<void> {
  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench_ingest" });
    try {
      const rates: number[] = [];
      for (let repeat = 0; repeat < 3; repeat += 1) {
        const rows = await makeRows(database.url, WINDOWS);
        const pool = new pg.Pool({ connectionString: database.url, max: 1 });
        const started = performance.now();
        for (let i = 0; i < rows.length; i += BATCH) await insertWindows(pool, rows.slice(i, i + BATCH));
        rates.push(rows.length / ((performance.now() - started) / 1000));
        await pool.end();
      }
      const windowsPerSecond = median(rates);
      console.log(
        `\nbench:runner — (d) recorder ingest into PostgreSQL, ${WINDOWS.toLocaleString("en")} windows, median of 3`,
      );
      console.log(`  ${Math.round(windowsPerSecond).toLocaleString("en")} windows/s`);
      console.log(
        `  ${Math.round(windowsPerSecond * REQUESTS_PER_WINDOW).toLocaleString("en")} requests/s at ${REQUESTS_PER_WINDOW} requests per window (one target-second at 100 req/s)`,
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
