import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom } from "../../kernel/random";
import {
  createHistogram,
  decodeHistogram,
  histogramBuckets,
  mergeHistograms,
  recordLatencyMs,
} from "../metrics/histogram";
import {
  type LoadWindow,
  mergeWindows,
  OUTCOMES,
  summarizeWindows,
  totalRequests,
  WindowAggregator,
} from "./windows";

function collect() {
  const closed: LoadWindow[] = [];
  return { closed, aggregator: new WindowAggregator((window) => closed.push(window)) };
}

describe("window aggregation", () => {
  test("a window closes only when its second is sealed and every request in it has finished", () => {
    const { closed, aggregator } = collect();
    const a = aggregator.expect("m1", "steady", 0);
    const b = aggregator.expect("m1", "steady", 0);
    aggregator.complete(a, { outcome: "ok", latencyMs: 12, serviceMs: 10, scored: true, correct: true });
    aggregator.sealBefore(1);
    assert.equal(closed.length, 0, "one request of second 0 is still in flight");
    const c = aggregator.expect("m1", "steady", 1);
    aggregator.complete(b, { outcome: "timeout", latencyMs: 5000, serviceMs: 4990 });
    assert.equal(closed.length, 1);
    aggregator.complete(c, { outcome: "ok", latencyMs: 3, serviceMs: 3 });
    assert.equal(closed.length, 1, "second 1 is not sealed yet");
    aggregator.sealAll();
    assert.deepEqual(
      closed.map((window) => [window.second, window.ok, window.timeout, window.correct, window.scored]),
      [
        [0, 1, 1, 1, 1],
        [1, 1, 0, 0, 0],
      ],
    );
    assert.equal(aggregator.openWindows, 0);
    assert.throws(() => aggregator.expect("m1", "steady", 1), /sealed/);
  });

  test("windows are per target × phase × second, with every outcome counted and lag kept", () => {
    const { closed, aggregator } = collect();
    // Every class that was sent (an overflow never is, so it is dropped below instead).
    const outcomes = OUTCOMES.filter((outcome) => outcome !== "overflow");
    for (const target of ["a", "b"]) {
      for (const outcome of outcomes) {
        const window = aggregator.expect(target, "fault", 3);
        aggregator.noteSendLag(window, target === "a" ? 4 : 25, target === "b");
        aggregator.complete(window, { outcome, latencyMs: 20, serviceMs: 15 });
      }
      const dropped = aggregator.expect(target, "fault", 3);
      aggregator.complete(dropped, { outcome: "overflow" });
      aggregator.complete(aggregator.expect(target, "recovery", 3), {
        outcome: "ok",
        latencyMs: 1,
        serviceMs: 1,
      });
    }
    aggregator.sealAll();
    assert.equal(closed.length, 4);
    const faultA = closed.find((window) => window.target === "a" && window.phase === "fault") as LoadWindow;
    const faultB = closed.find((window) => window.target === "b" && window.phase === "fault") as LoadWindow;
    assert.deepEqual(
      [
        faultA.ok,
        faultA.http4xx,
        faultA.http5xx,
        faultA.rejected429,
        faultA.timeout,
        faultA.connectionError,
        faultA.degraded,
      ],
      [1, 1, 1, 1, 1, 1, 1],
    );
    assert.equal(faultA.overflow, 1);
    assert.equal(totalRequests(faultA), 8);
    // Percentiles are over answered requests; failures keep their latency apart; overflows were
    // never sent and have none.
    assert.equal(decodeHistogram(faultA.latencyHistogram).totalCount, 1);
    assert.equal(decodeHistogram(faultA.serviceHistogram).totalCount, 1);
    assert.equal(decodeHistogram(faultA.failedLatencyHistogram).totalCount, 6);
    assert.equal(faultA.maxSendLagMs, 4);
    assert.equal(faultA.lateSends, 0);
    assert.equal(faultB.maxSendLagMs, 25);
    assert.equal(faultB.lateSends, 7);
  });

  test("merging windows across seconds and workers is exact; summaries answer any span", () => {
    const random = createRandom(5);
    const windows: LoadWindow[] = [];
    const all = createHistogram();
    // Two workers, each with half of the traffic of the same 10 seconds of one target.
    for (const worker of [1, 2]) {
      const aggregator = new WindowAggregator((window) => windows.push(window));
      for (let second = 0; second < 10; second += 1) {
        for (let i = 0; i < 50; i += 1) {
          const window = aggregator.expect("m1", second < 5 ? "steady" : "fault", second);
          const latencyMs = second >= 5 && i % 10 === 0 ? 800 + random.next() * 200 : 5 + random.next() * 20;
          const ok = latencyMs < 800;
          recordLatencyMs(all, latencyMs);
          aggregator.noteSendLag(window, worker, false);
          aggregator.complete(window, {
            outcome: ok ? "ok" : "http_5xx",
            latencyMs,
            serviceMs: latencyMs / 2,
            scored: ok,
            correct: ok && i % 4 !== 0,
          });
        }
        aggregator.sealBefore(second + 1);
      }
    }
    assert.equal(windows.length, 40 / 2);
    const merged = mergeWindows(windows);
    assert.equal(merged.windows, 20);
    assert.deepEqual([merged.fromSecond, merged.toSecond], [0, 9]);
    // Answered and failed latencies together are every request's, exactly.
    assert.deepEqual(
      histogramBuckets(mergeHistograms([merged.latency, merged.failedLatency()])),
      histogramBuckets(all),
    );
    assert.equal(merged.maxSendLagMs, 2);

    const steady = summarizeWindows(windows.filter((window) => window.phase === "steady"));
    const fault = summarizeWindows(windows.filter((window) => window.phase === "fault"));
    assert.equal(steady.requests, 500);
    assert.equal(steady.successRate, 1);
    assert.equal(steady.ratePerSecond, 100);
    assert.ok((steady.latency?.p99Ms as number) < 30);
    assert.equal(fault.successRate, 0.9);
    // The slow answers were errors: over answered requests the tail stays fast.
    assert.ok((fault.latency?.p99Ms as number) < 30);
    assert.equal(fault.answeredAccuracy, fault.correct / fault.scored);
    assert.equal(fault.accuracy, fault.correct / fault.requests);
    assert.ok(Math.abs((fault.service?.p50Ms as number) - (fault.latency?.p50Ms as number) / 2) < 0.5);
    // Stored rows may lack the overflow column.
    const { overflow: _dropped, ...stored } = windows[0] as LoadWindow;
    assert.equal(summarizeWindows([stored]).requests, 50);
    const empty = summarizeWindows([]);
    assert.equal(empty.successRate, null);
    assert.equal(empty.latency, null);
  });
});
