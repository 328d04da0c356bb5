// Per-item results on a real run: a short drill of two targets with an error fault on one. Every
// request is one item_results row; the items API groups them per item (the disagree filter and
// keyset paging checked against the rows themselves); the report carries the failure samples and
// the count of stored rows; a low cap drops the rest and says how many.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type ApiBody, type RunHarness, startRunHarness } from "../../testing/run-harness";
import { ITEM_RESULTS_CAP, type ItemResultRecord } from "./item-results";
import { Recorder } from "./recorder";
import { readRunRecord } from "./run-record";

let harness: RunHarness;
let pool: pg.Pool;

const spec = {
  name: "item results",
  targets: [
    { name: "fp32", model: "ppocr-v4-rec", role: "candidate" },
    { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline" },
  ],
  // Few items at rate 10: each is repeated, so the majority over repeats matters.
  dataset: { name: "textline-v1", limit: 12 },
  load: { arrival: "constant", rate: 10, maxInFlight: 16, timeoutMs: 5000, seed: 5 },
  phases: [
    { name: "steady", durationSeconds: 1 },
    {
      name: "errors",
      durationSeconds: 3,
      faults: [
        { type: "error", status: 503, probability: 0.5, model: "int8", message: "boom from the item test" },
      ],
    },
  ],
  hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
};

before(async () => {
  harness = await startRunHarness({
    prefix: "faultline_items",
    models: ["ppocr-v4-rec", "ppocr-v4-rec-int8"],
  });
  pool = new pg.Pool({ connectionString: harness.database.url, max: 2 });
});

after(async () => {
  await pool?.end();
  await harness?.stop();
});

interface Entry {
  itemKey: string;
  results: Record<
    string,
    { requests: number; correct: number; answers: string[]; outcomes: Record<string, number> }
  >;
}

async function allItems(runId: string, query: string): Promise<{ items: Entry[]; pages: number }> {
  const items: Entry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: ApiBody = await harness.api(
      "GET",
      `/api/v1/runs/${runId}/items?${query}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(page.status, 200, page.text);
    items.push(...(page.body.items as Entry[]));
    cursor = page.body.next;
    pages += 1;
    assert.ok(pages < 100, "paging does not end");
  } while (cursor);
  return { items, pages };
}

describe("per-item results", () => {
  it("stores one row per request, groups them per item, filters disagreements and samples failures", async () => {
    const runId = await harness.launch(spec);
    const run = await harness.waitForStatus(
      runId,
      ["passed", "failed", "errored", "aborted", "invalid"],
      120_000,
    );
    assert.ok(
      ["passed", "failed"].includes(run.status),
      `${run.status}: ${run.error}\n${harness.workerOutput().slice(-2000)}`,
    );

    // Rows stored = requests sent, per arm (the windows count every arrival).
    const arms = await pool.query<{ label: string; sent: number; stored: number; http5xx: number }>(
      `select a.label,
         (select sum(ok + http_4xx + http_5xx + rejected_429 + timeout + connection_error + degraded + overflow)
            from windows w where w.arm_id = a.id)::int as sent,
         (select count(*) from item_results r where r.arm_id = a.id)::int as stored,
         (select sum(http_5xx) from windows w where w.arm_id = a.id)::int as http5xx
       from run_arms a where a.run_id = $1::uuid order by a.label`,
      [runId],
    );
    assert.equal(arms.rows.length, 2);
    for (const arm of arms.rows) {
      assert.ok(arm.sent >= 30, `${arm.label} sent ${arm.sent}`);
      assert.equal(arm.stored, arm.sent, `${arm.label}: rows stored = requests sent`);
    }
    const int8 = arms.rows.find((arm) => arm.label === "int8");
    assert.ok(int8 && int8.http5xx > 0, "the error fault hit int8");

    // The report: rows stored and none dropped; failure samples with the injected error.
    const { report } = readRunRecord(run as { summary: unknown; verdict: unknown });
    assert.ok(report);
    const stored = arms.rows.reduce((sum, arm) => sum + arm.stored, 0);
    assert.deepEqual(report.itemResults, { stored, dropped: 0, cap: ITEM_RESULTS_CAP });
    const failures = report.failureSamples ?? [];
    const errors = failures.find((entry) => entry.target === "int8" && entry.outcome === "http_5xx");
    assert.ok(errors, JSON.stringify(failures));
    assert.equal(errors.count, int8.http5xx);
    assert.equal(errors.samples.length, Math.min(5, int8.http5xx));
    for (const sample of errors.samples) {
      assert.equal(sample.phase, "errors");
      // The server's own error message, as the injected fault worded it.
      assert.match(sample.message, /boom from the item test/);
      assert.ok(sample.itemKey.length > 0 && sample.second >= 1);
    }
    assert.ok(!failures.some((entry) => entry.target === "fp32" && entry.outcome === "http_5xx"));

    // Every item once, over small pages, in key order.
    const distinct = await pool.query<{ item_key: string }>(
      `select distinct item_key collate "C" as item_key from item_results where run_id = $1::uuid order by 1`,
      [runId],
    );
    const { items, pages } = await allItems(runId, "limit=5");
    assert.ok(pages >= 2, "several pages");
    assert.deepEqual(
      items.map((item) => item.itemKey),
      distinct.rows.map((row) => row.item_key),
    );
    for (const item of items) {
      assert.deepEqual(Object.keys(item.results).sort(), ["fp32", "int8"]);
      for (const result of Object.values(item.results)) {
        assert.ok(result.answers.length <= 3);
        assert.equal(
          Object.values(result.outcomes).reduce((sum, n) => sum + n, 0),
          result.requests,
        );
      }
    }

    // disagree=true: exactly the items whose majorities differ, computed from the rows here.
    const tallies = await pool.query<{ item_key: string; label: string; requests: number; correct: number }>(
      `select r.item_key, a.label, count(*)::int as requests, (count(*) filter (where r.correct))::int as correct
       from item_results r join run_arms a on a.id = r.arm_id where r.run_id = $1::uuid
       group by r.item_key, a.label`,
      [runId],
    );
    const majority = new Map<string, Set<boolean>>();
    for (const row of tallies.rows) {
      const set = majority.get(row.item_key) ?? new Set<boolean>();
      majority.set(row.item_key, set.add(row.correct * 2 > row.requests));
    }
    const expected = [...majority].filter(([, set]) => set.size > 1).map(([key]) => key);
    assert.ok(
      expected.length > 0 && expected.length < items.length,
      `${expected.length} of ${items.length} disagree`,
    );
    const disagreeing = await allItems(runId, "disagree=true&limit=2");
    assert.deepEqual(disagreeing.items.map((item) => item.itemKey).sort(), expected.sort());

    // Filters select items; a target's outcome filter finds only items where int8 failed.
    const failed = await allItems(runId, "target=int8&outcome=http_5xx&limit=50");
    assert.ok(failed.items.length > 0);
    for (const item of failed.items) assert.ok((item.results.int8?.outcomes.http_5xx ?? 0) > 0);

    // Bad queries and unknown runs.
    for (const query of ["limit=0", "outcome=exploded", "cursor=not!a!cursor", "disagree=maybe"]) {
      const bad = await harness.api("GET", `/api/v1/runs/${runId}/items?${query}`);
      assert.equal(bad.status, 400, `${query}: ${bad.text}`);
      assert.equal(bad.body.error.code, "invalid_request", bad.text);
    }
    const unknownTarget = await harness.api("GET", `/api/v1/runs/${runId}/items?target=nope`);
    assert.equal(unknownTarget.status, 400);
    assert.equal(unknownTarget.body.error.code, "unknown_target");
    const missing = await harness.api("GET", `/api/v1/runs/${randomUUID()}/items`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "run_not_found");
  });

  it("stores up to the cap, counts the rest as dropped, and writes a retried row once", async () => {
    const prisma = harness.prisma;
    const experiment = await prisma.experiment.create({ data: { name: `items-cap-${randomUUID()}` } });
    const version = await prisma.experimentVersion.create({
      data: { experimentId: experiment.id, version: 1, spec: {}, specSha256: "0".repeat(64) },
    });
    const run = await prisma.run.create({
      data: { experimentId: experiment.id, experimentVersionId: version.id, trigger: "cli", seed: 1n },
    });
    const arm = await prisma.runArm.create({ data: { runId: run.id, label: "a" } });
    const row = (arrival: number): ItemResultRecord => ({
      runId: run.id,
      armId: arm.id,
      arrival,
      itemKey: `k${arrival % 3}`,
      phase: "main",
      second: Math.floor(arrival / 10),
      outcome: "ok",
      latencyMs: 12.5,
      answer: "x",
      correct: true,
      servedBy: null,
      error: null,
    });
    const recorder = new Recorder({ pool, itemResultsCap: 25, flushIntervalMs: 60_000 });
    try {
      recorder.addItems(Array.from({ length: 20 }, (_, i) => row(i)));
      await recorder.drain(10_000);
      recorder.addItems(Array.from({ length: 20 }, (_, i) => row(20 + i)));
      await recorder.drain(10_000);
      assert.deepEqual(recorder.itemResults(), { stored: 25, dropped: 15, cap: 25 });
    } finally {
      recorder.close();
    }
    const again = new Recorder({ pool, flushIntervalMs: 60_000 });
    again.addItems([row(0), row(1)]);
    await again.drain(10_000);
    again.close();
    const count = await pool.query<{ n: number }>(
      "select count(*)::int as n from item_results where arm_id = $1",
      [arm.id],
    );
    assert.equal(count.rows[0]?.n, 25);
  });
});
