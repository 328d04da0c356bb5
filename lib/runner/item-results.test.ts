import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeCursor,
  disagrees,
  encodeCursor,
  FailureSampler,
  failureMessage,
  groupItems,
  type ItemGroupRow,
  itemResultOf,
  majorityCorrect,
} from "./item-results";
import type { RequestRecord } from "./load-generator";

const request = (fields: Partial<RequestRecord>): RequestRecord => ({
  target: "a",
  arrival: 0,
  itemIndex: 0,
  phase: "main",
  intendedMs: 0,
  outcome: "ok",
  sendLagMs: 0,
  ...fields,
});

describe("item rows", () => {
  it("truncates answers and errors, keeps correct null when unscored, and places the second", () => {
    const row = itemResultOf(
      request({
        intendedMs: 2500,
        answer: "x".repeat(250),
        outcome: "connection_error",
        error: "e".repeat(400),
      }),
      { runId: "r", armId: "m", itemKey: "k" },
    );
    assert.equal(row.second, 2);
    assert.equal(row.answer?.length, 200);
    assert.equal(row.error?.length, 300);
    assert.equal(row.correct, null);
    const scored = itemResultOf(request({ scored: true, correct: false }), {
      runId: "r",
      armId: "m",
      itemKey: "k",
    });
    assert.equal(scored.correct, false);
    assert.equal(scored.error, null);
  });

  it("says what failed: the error, else the status, else the class", () => {
    assert.equal(failureMessage(request({ outcome: "ok" })), undefined);
    assert.equal(
      failureMessage(request({ outcome: "timeout", error: "no answer within 5 ms" })),
      "no answer within 5 ms",
    );
    assert.equal(failureMessage(request({ outcome: "http_5xx", status: 503 })), "HTTP 503");
    assert.match(failureMessage(request({ outcome: "degraded", servedBy: "b" })) as string, /fallback b/);
  });
});

describe("FailureSampler", () => {
  it("counts every failure and keeps the latest five per target and class, whatever the finishing order", () => {
    const sampler = new FailureSampler();
    const order = [3, 9, 0, 7, 1, 8, 2, 6, 4, 5];
    for (const arrival of order) {
      sampler.add(
        request({ arrival, intendedMs: arrival * 1000, outcome: "http_5xx", status: 503 }),
        `k${arrival}`,
      );
    }
    sampler.add(request({ target: "b", outcome: "timeout", error: "late" }), "kb");
    sampler.add(request({ target: "b", outcome: "ok" }), "kb");
    const samples = sampler.samples();
    assert.deepEqual(
      samples.map(({ target, outcome, count }) => ({ target, outcome, count })),
      [
        { target: "a", outcome: "http_5xx", count: 10 },
        { target: "b", outcome: "timeout", count: 1 },
      ],
    );
    assert.deepEqual(
      samples[0]?.samples.map((sample) => sample.second),
      [5, 6, 7, 8, 9],
    );
    assert.equal(samples[0]?.samples[0]?.message, "HTTP 503");
  });
});

describe("the items view", () => {
  const row = (fields: Partial<ItemGroupRow>): ItemGroupRow => ({
    itemKey: "k",
    target: "a",
    outcome: "ok",
    requests: 1,
    correct: 1,
    scored: 1,
    answers: ["x"],
    ...fields,
  });

  it("groups rows per item and target, with outcomes and at most three distinct answers", () => {
    const items = groupItems([
      row({ itemKey: "k2" }),
      row({ requests: 2, correct: 1, answers: ["x", "y"] }),
      row({ outcome: "timeout", correct: 0, scored: 0, answers: null }),
      row({ answers: ["y", "z", "w"] }),
      row({ target: "b", correct: 0 }),
    ]);
    assert.deepEqual(
      items.map((item) => item.itemKey),
      ["k", "k2"],
    );
    const a = items[0]?.results.a;
    assert.deepEqual(a, {
      requests: 4,
      correct: 2,
      answers: ["x", "y", "z"],
      outcomes: { ok: 3, timeout: 1 },
    });
  });

  it("takes the majority over repeats, a tie not being one", () => {
    assert.equal(majorityCorrect({ requests: 3, correct: 2 }), true);
    assert.equal(majorityCorrect({ requests: 2, correct: 1 }), false);
  });

  it("keeps items whose targets' majorities differ", () => {
    const one = (rows: ItemGroupRow[]) => {
      const [entry] = groupItems(rows);
      assert.ok(entry);
      return entry;
    };
    const differ = one([row({ target: "a" }), row({ target: "b", correct: 0 })]);
    const same = one([row({ target: "a" }), row({ target: "b" })]);
    const alone = one([row({ target: "a" })]);
    const unscored = one([row({ correct: 0, scored: 0 }), row({ target: "b", correct: 0, scored: 0 })]);
    assert.equal(disagrees(differ), true);
    assert.equal(disagrees(same), false);
    assert.equal(disagrees(alone), false);
    assert.equal(disagrees(unscored), false);
  });

  it("round-trips the cursor and refuses one it did not make", () => {
    for (const key of ["0001", "img 7|gaussian_noise:3", "ü"])
      assert.equal(decodeCursor(encodeCursor(key)), key);
    assert.equal(decodeCursor("not a cursor!"), undefined);
    assert.equal(decodeCursor("_w"), undefined);
  });
});
