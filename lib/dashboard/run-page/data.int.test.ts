// The run page's loader against a real PostgreSQL: a seeded one-hour, three-target run (10,800
// windows) loads with its buckets exact (checked against the library's merge of the raw windows)
// and within a time budget; the figure is printed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../../testing/database";
import { seedSyntheticRun } from "../../../testing/synthetic-run";
import { createPrismaClient, type PrismaClient } from "../../db/prisma";
import { decodeHistogram, mergeHistograms, percentileMs } from "../../metrics/histogram";
import { readRunPage, readRunSeries } from "./data";
import type { SeriesBucket, TargetPoint } from "./types";
import { parseRunView } from "./view";

let database: TestDatabase;
let prisma: PrismaClient;
let run: { runId: string; windows: number };

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_run_page" });
  const seeding = performance.now();
  run = await seedSyntheticRun({ databaseUrl: database.url, durationSeconds: 3600, seed: 3 });
  console.log(`# seeded ${run.windows} windows in ${Math.round(performance.now() - seeding)} ms`);
  prisma = createPrismaClient(database.url, 4);
});

after(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe("the run page loader", () => {
  it("loads a one-hour, three-target run downsampled to ~600 buckets that never straddle a phase", async () => {
    await readRunPage(prisma, run.runId, parseRunView({})); // warm the connection and the JIT
    const timings: number[] = [];
    let page = await readRunPage(prisma, run.runId, parseRunView({}));
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      page = await readRunPage(prisma, run.runId, parseRunView({}));
      timings.push(performance.now() - started);
    }
    assert.ok(page);
    const median = [...timings].sort((a, b) => a - b)[1] as number;
    console.log(
      `# readRunPage, 1 h × 3 targets, both clocks: median ${median.toFixed(0)} ms (${timings.map((t) => t.toFixed(0)).join(", ")})`,
    );
    const { series } = page;
    assert.equal(series.windows, 10_800);
    assert.equal(series.bucketSeconds, 6);
    assert.ok(
      series.buckets.length >= 600 && series.buckets.length <= 604,
      `${series.buckets.length} buckets`,
    );
    assert.equal(series.buckets.filter((bucket) => bucket.targets.fp32 === null).length, 0);
    // Buckets restart at phase boundaries: none straddles one.
    for (const bucket of series.buckets) {
      const band = page.bands.find((b) => bucket.second >= b.startSecond && bucket.second < b.endSecond);
      assert.ok(band && bucket.second + bucket.seconds <= band.endSecond);
    }
    const fault = page.bands.find((band) => band.faulted);
    assert.ok(fault);
    // The synthetic fault adds ~100 ms to the candidate only.
    const inFault = series.buckets.find((bucket) => bucket.phase === fault.phase);
    assert.ok((inFault?.targets.fp32?.latencyMs.p50 ?? 0) > 100);
    assert.ok((inFault?.targets.int8?.latencyMs.p50 ?? 1000) < 100);
    const requests = series.breakdown.reduce((sum, row) => sum + row.requests, 0);
    assert.equal(requests, 3600 * 3 * 8);
    assert.ok(page.verdict);
    assert.equal(page.residual.state, "clean");
  });

  it("answers exactly what the library computes from the raw windows", async () => {
    const series = await readRunSeries(
      prisma,
      run.runId,
      parseRunView({ pct: "p50,p99,p99.9", from: "1000", to: "1030" }),
    );
    assert.ok(series);
    assert.equal(series.bucketSeconds, 1);
    const rows = await prisma.window.findMany({
      where: { arm: { runId: run.runId, label: "int8" }, second: { gte: 1000, lt: 1030 } },
      orderBy: { second: "asc" },
    });
    assert.equal(rows.length, 30);
    for (const row of rows) {
      const bucket: SeriesBucket | undefined = series.buckets.find(
        (candidate) => candidate.second === row.second,
      );
      const point: TargetPoint | null | undefined = bucket?.targets.int8;
      assert.ok(point);
      const latency = decodeHistogram(row.latencyHistogram);
      const service = mergeHistograms([row.serviceHistogram]);
      assert.equal(point.latencyMs.p50, percentileMs(latency, 50));
      assert.equal(point.latencyMs.p999, percentileMs(latency, 99.9));
      assert.equal(point.serviceMs.p99, percentileMs(service, 99));
      assert.equal(point.successRate, Math.round((row.ok / (row.ok + row.http5xx)) * 1e6) / 1e6);
    }
  });

  it("decodes only the clock shown and only the targets selected", async () => {
    const series = await readRunSeries(
      prisma,
      run.runId,
      parseRunView({ clock: "service", targets: "int8" }),
    );
    assert.ok(series);
    assert.deepEqual(series.targets, ["int8"]);
    assert.deepEqual(series.clocks, ["service"]);
    const point = series.buckets[10]?.targets.int8;
    assert.ok(point?.serviceMs.p50 && point.latencyMs.p50 === undefined);
    assert.equal(series.buckets[10]?.targets.fp32, undefined);
    assert.equal(series.breakdown.length, 3, "the breakdown still covers every target");
  });

  it("knows no run it does not have", async () => {
    assert.equal(await readRunSeries(prisma, "00000000-0000-4000-8000-000000000000", parseRunView({})), null);
    assert.equal(await readRunPage(prisma, "not-a-uuid", parseRunView({})), null);
  });
});
