import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { decodeHistogram } from "../metrics/histogram";
import { arrivalTimesMs } from "./arrivals";
import {
  classifyStatus,
  type LoadProgress,
  type LoadSummary,
  phasesInOrder,
  type RequestRecord,
  runLoad,
  type SendFn,
  type TargetSummary,
} from "./load-generator";
import { createInferSender, type InferItem, prepareInferItems } from "./send-http";
import { type LoadWindow, summarizeWindows, totalRequests } from "./windows";

const ARMS = [{ name: "candidate" }, { name: "baseline-a" }, { name: "baseline-b" }];

function only(summary: LoadSummary): TargetSummary {
  assert.equal(summary.targets.length, 1);
  return summary.targets[0] as TargetSummary;
}

/** A loopback HTTP server answering `{ "answer": "ok" }` after `delayMs(now)` (0: at once). */
async function startStub(delayMs: (sinceStartMs: number) => number = () => 0) {
  const startedAt = performance.now();
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const respond = () => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"answer":"ok"}');
      };
      const delay = delayMs(performance.now() - startedAt);
      if (delay > 0) setTimeout(respond, delay);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function stubItems(): Promise<InferItem<string>[]> {
  const png = Buffer.from("89504e470d0a1a0a", "hex");
  return prepareInferItems(["a", "b", "c"], (id) => ({ image: png, mimeType: "image/png", prompt: id }));
}

describe("open-model load generator", () => {
  test("paired arms: every target gets the same item at the same intended time, in a seeded order", async () => {
    const spec = { kind: "poisson", ratePerSecond: 1000, durationSeconds: 1.2 } as const;
    const run = async (seed: number) => {
      const calls: { target: string; arrival: number; item: string; intendedMs: number }[] = [];
      const windows: LoadWindow[] = [];
      const summary = await runLoad({
        targets: ARMS,
        items: ["i0", "i1", "i2", "i3", "i4", "i5", "i6"],
        arrivals: spec,
        seed,
        maxInFlightPerTarget: 100,
        timeoutMs: 1000,
        phaseAt: phasesInOrder([
          { name: "warm-up", durationSeconds: 0.5 },
          { name: "steady", durationSeconds: 0.7 },
        ]),
        onWindow: (window) => void windows.push(window),
        send: async (target, item, _signal, context) => {
          calls.push({ target: target.name, arrival: context.arrival, item, intendedMs: context.intendedMs });
          return { status: 200 };
        },
      });
      return { calls, windows, summary };
    };
    const { calls, windows, summary } = await run(11);
    const schedule = arrivalTimesMs(spec, 11);
    assert.equal(summary.arrivals, schedule.length);
    assert.equal(calls.length, schedule.length * ARMS.length);
    const byArrival = new Map<number, typeof calls>();
    for (const call of calls) byArrival.set(call.arrival, [...(byArrival.get(call.arrival) ?? []), call]);
    const firsts = new Map<string, number>();
    for (const [arrival, group] of byArrival) {
      assert.deepEqual(group.map((call) => call.target).sort(), ARMS.map((arm) => arm.name).sort());
      assert.equal(new Set(group.map((call) => call.item)).size, 1, `arrival ${arrival}: one item for all`);
      for (const call of group) assert.equal(call.intendedMs, schedule[arrival]);
      const first = (group[0] as { target: string }).target;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // No target is always first: each leads about a third of the time.
    for (const arm of ARMS) {
      const share = (firsts.get(arm.name) ?? 0) / byArrival.size;
      assert.ok(share > 0.28 && share < 0.39, `${arm.name} first in ${share}`);
    }
    // Items go in shuffled passes: every item once per 7 arrivals.
    const items = [...byArrival.values()].map((group) => (group[0] as { item: string }).item);
    assert.equal(new Set(items.slice(0, 7)).size, 7);
    assert.equal(new Set(items.slice(7, 14)).size, 7);
    // The same seed replays the same items and order; another seed does not.
    const again = await run(11);
    assert.deepEqual(
      again.calls.map((call) => [call.target, call.item]),
      calls.map((call) => [call.target, call.item]),
    );
    const other = await run(12);
    assert.notDeepEqual(
      other.calls.slice(0, 30).map((call) => call.item),
      calls.slice(0, 30).map((call) => call.item),
    );
    // Windows: per target × phase × second, and they account for every request.
    assert.deepEqual([...new Set(windows.map((window) => `${window.phase}@${window.second}`))].sort(), [
      "steady@0",
      "steady@1",
      "warm-up@0",
    ]);
    for (const arm of ARMS) {
      const mine = windows.filter((window) => window.target === arm.name);
      assert.equal(summarizeWindows(mine).requests, schedule.length);
    }
  });

  test("outcomes are classified: statuses, thrown errors, timeouts (even when send ignores its signal), scoring", async () => {
    const kinds = ["ok", "wrong", "404", "429", "503", "throw", "hang", "hang-abortable"];
    const records: RequestRecord[] = [];
    const send: SendFn<{ name: string }, string> = (_target, kind, signal) => {
      switch (kind) {
        case "ok":
          return Promise.resolve({ status: 200, answer: "x", correct: true });
        case "wrong":
          return Promise.resolve({ status: 200, answer: "y", correct: false });
        case "throw":
          return Promise.reject(new Error("ECONNREFUSED"));
        case "hang":
          return new Promise(() => {});
        case "hang-abortable":
          return new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason)),
          );
        default:
          return Promise.resolve({ status: Number(kind) });
      }
    };
    const summary = await runLoad({
      targets: [{ name: "m" }],
      items: kinds,
      arrivals: { kind: "constant", ratePerSecond: 48, durationSeconds: 1 },
      seed: 3,
      maxInFlightPerTarget: 1000,
      timeoutMs: 100,
      send,
      onRequest: (record) => records.push(record),
    });
    const target = only(summary);
    // 48 arrivals = 6 shuffled passes over 8 kinds.
    assert.deepEqual(
      [target.ok, target.http4xx, target.rejected429, target.http5xx, target.connectionError, target.timeout],
      [12, 6, 6, 6, 6, 12],
    );
    assert.deepEqual([target.scored, target.correct, target.overflow], [12, 6, 0]);
    const timeouts = records.filter((record) => record.outcome === "timeout");
    for (const record of timeouts) {
      assert.ok(
        (record.serviceMs as number) >= 99 && (record.serviceMs as number) < 150,
        `${record.serviceMs}`,
      );
    }
    assert.match(
      records.find((record) => record.outcome === "connection_error")?.error ?? "",
      /ECONNREFUSED/,
    );
    assert.deepEqual([200, 204, 301, 404, 429, 500, 503, 0].map(classifyStatus), [
      "ok",
      "ok",
      "http_4xx",
      "http_4xx",
      "rejected_429",
      "http_5xx",
      "http_5xx",
      "http_4xx",
    ]);
  });

  test("beyond max in flight, requests are dropped as overflow: counted, never sent, never queued", async () => {
    let inFlight = 0;
    let peak = 0;
    const windows: LoadWindow[] = [];
    const summary = await runLoad({
      targets: [{ name: "slow" }],
      items: [1],
      arrivals: { kind: "constant", ratePerSecond: 100, durationSeconds: 1 },
      seed: 1,
      maxInFlightPerTarget: 3,
      timeoutMs: 2000,
      onWindow: (window) => void windows.push(window),
      send: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await sleep(250);
        inFlight -= 1;
        return { status: 200 };
      },
    });
    const target = only(summary);
    assert.equal(peak, 3);
    assert.equal(target.sent + target.overflow, 100);
    assert.ok(target.overflow >= 80 && target.overflow <= 90, `overflow ${target.overflow}`);
    assert.equal(target.ok, target.sent);
    assert.equal(target.requests, 100);
    // Overflows carry no latency: the histograms hold the sent requests only.
    assert.equal(decodeHistogram(target.latencyHistogram).totalCount, target.sent);
    assert.equal(
      windows.reduce((sum, window) => sum + window.overflow, 0),
      target.overflow,
    );
  });

  test("windows are emitted as their seconds close, before the run ends", async () => {
    const emittedAt: { second: number; atMs: number }[] = [];
    const start = performance.now();
    const summary = await runLoad({
      targets: [{ name: "m" }],
      items: [1],
      arrivals: { kind: "constant", ratePerSecond: 50, durationSeconds: 3 },
      seed: 1,
      maxInFlightPerTarget: 10,
      timeoutMs: 1000,
      onWindow: (window) => void emittedAt.push({ second: window.second, atMs: performance.now() - start }),
      send: async () => {
        await sleep(30);
        return { status: 200 };
      },
    });
    assert.deepEqual(
      emittedAt.map((entry) => entry.second),
      [0, 1, 2],
    );
    // Second 0 closes once its last request (sent at 980 ms) answers, about 1.01 s in — not at the end.
    assert.ok((emittedAt[0] as { atMs: number }).atMs < 1300, `${emittedAt[0]?.atMs}`);
    assert.ok((emittedAt[0] as { atMs: number }).atMs < summary.durationMs - 1500);
  });

  test("aborting stops scheduling, awaits requests in flight and flushes every window", async () => {
    const controller = new AbortController();
    const windows: LoadWindow[] = [];
    let finished = 0;
    setTimeout(() => controller.abort(), 700);
    const summary = await runLoad({
      targets: ARMS.slice(0, 2),
      items: [1],
      arrivals: { kind: "constant", ratePerSecond: 100, durationSeconds: 10 },
      seed: 1,
      maxInFlightPerTarget: 100,
      timeoutMs: 1000,
      signal: controller.signal,
      onWindow: async (window) => {
        await sleep(20); // a recorder's write: awaited before the run resolves
        windows.push(window);
      },
      send: async () => {
        await sleep(200);
        finished += 1;
        return { status: 200 };
      },
    });
    assert.equal(summary.aborted, true);
    assert.ok(summary.arrivals >= 65 && summary.arrivals <= 75, `arrivals ${summary.arrivals}`);
    assert.equal(finished, summary.arrivals * 2, "every request sent was awaited");
    assert.ok(summary.durationMs >= 850, "the run waited for requests in flight");
    assert.equal(
      windows.reduce((sum, window) => sum + totalRequests(window), 0),
      summary.arrivals * 2,
    );
  });

  test("a throwing callback neither stalls the run nor leaks a slot; the run then rejects with it", async () => {
    let sent = 0;
    const run = runLoad({
      targets: [{ name: "m" }],
      items: [1],
      arrivals: { kind: "constant", ratePerSecond: 100, durationSeconds: 0.3 },
      seed: 1,
      maxInFlightPerTarget: 1,
      timeoutMs: 1000,
      send: async () => {
        sent += 1;
        return { status: 200 };
      },
      onRequest: () => {
        throw new Error("recorder down");
      },
      onWindow: async () => {
        throw new Error("write failed");
      },
    });
    await assert.rejects(run, (error: unknown) => {
      assert.ok(error instanceof AggregateError);
      assert.equal(error.errors.length, 31);
      return true;
    });
    assert.equal(sent, 30, "no overflow: every slot was given back");
    await assert.rejects(
      runLoad({
        targets: [{ name: "a" }, { name: "a" }],
        items: [1],
        arrivals: { kind: "constant", ratePerSecond: 1, durationSeconds: 1 },
        seed: 1,
        maxInFlightPerTarget: 1,
        timeoutMs: 1,
        send: async () => ({ status: 200 }),
      }),
      /unique/,
    );
  });

  test("a late generator says so: sustained send lag sets behindSchedule", async () => {
    const summary = await runLoad({
      targets: [{ name: "m" }],
      items: [1],
      arrivals: { kind: "constant", ratePerSecond: 200, durationSeconds: 1 },
      seed: 1,
      maxInFlightPerTarget: 1000,
      timeoutMs: 1000,
      send: async (_target, _item, _signal, context) => {
        // Block the event loop for 400 ms once: what a GC storm or a busy worker does.
        if (context.arrival === 20) {
          const until = performance.now() + 400;
          while (performance.now() < until) {}
        }
        return { status: 200 };
      },
    });
    assert.equal(summary.behindSchedule, true);
    assert.ok(summary.maxSendLagMs >= 380, `max lag ${summary.maxSendLagMs}`);
    assert.ok(summary.lateSends >= 70);
    // The corrected latency holds the stall; the service time does not.
    const target = only(summary);
    assert.ok((target.latency?.maxMs as number) >= 380);
    assert.ok((target.service?.p99Ms as number) < 50);
  });

  // The two timed acceptance runs share the process (300 req/s in all) to halve the wall time.
  describe("timed runs against loopback HTTP", { concurrency: true }, () => {
    test("a 1 s stall every 10 s: the corrected P99 shows it, service time over one connection does not", async () => {
      // The stub holds every answer it would give in [4 s, 5 s) of each 10 s until 5 s: a 1 s stall.
      const stub = await startStub((sinceStartMs) => {
        const phase = sinceStartMs % 10_000;
        return phase >= 4000 && phase < 5000 ? 5000 - phase : 0;
      });
      const items = await stubItems();
      // Over one connection (as wrk -c1) requests wait in the client during a stall: a closed system.
      const oneConnection = createInferSender<string>({ baseUrl: stub.url, maxSockets: 1 });
      // With enough connections every request leaves on time and even the service time shows the stall.
      const manyConnections = createInferSender<string>({ baseUrl: stub.url, maxSockets: 256 });
      const options = {
        targets: [{ name: "stub" }],
        items,
        arrivals: { kind: "constant", ratePerSecond: 100, durationSeconds: 20 },
        seed: 5,
        maxInFlightPerTarget: 1000,
        timeoutMs: 5000,
      } as const;
      try {
        const [closed, open] = await Promise.all([
          runLoad({ ...options, send: oneConnection.send }),
          runLoad({ ...options, send: manyConnections.send }),
        ]);
        for (const summary of [closed, open]) {
          const target = only(summary);
          assert.equal(target.ok, 2000);
          assert.ok((target.latency?.p99Ms as number) >= 500, `corrected p99 ${target.latency?.p99Ms}`);
        }
        const closedService = only(closed).service?.p99Ms as number;
        assert.ok(closedService < 100, `service p99 over one connection ${closedService}`);
        assert.ok((only(open).service?.p99Ms as number) >= 500, "sent on time, so answered late");
        console.log(
          `    one connection: corrected p99 ${only(closed).latency?.p99Ms} ms, service p99 ${closedService} ms; ` +
            `256 connections: ${only(open).latency?.p99Ms} / ${only(open).service?.p99Ms} ms`,
        );
      } finally {
        oneConnection.close();
        manyConnections.close();
        await stub.close();
      }
    });

    test("200 req/s for 12 s against a fast endpoint: achieved rate within 1 %", async () => {
      const stub = await startStub();
      const items = await stubItems();
      const sender = createInferSender<string>({ baseUrl: stub.url, runId: "rate-test" });
      const progress: LoadProgress[] = [];
      const windows: LoadWindow[] = [];
      try {
        const summary = await runLoad({
          targets: [{ name: "fast" }],
          items,
          arrivals: { kind: "constant", ratePerSecond: 200, durationSeconds: 12 },
          seed: 8,
          maxInFlightPerTarget: 1000,
          timeoutMs: 2000,
          send: sender.send,
          onProgress: (entry) => progress.push(entry),
          onWindow: (window) => void windows.push(window),
        });
        const target = only(summary);
        assert.equal(target.ok, 2400);
        const achieved = target.achievedRatePerSecond as number;
        const throughput = target.throughputPerSecond as number;
        assert.ok(Math.abs(achieved / 200 - 1) < 0.01, `achieved ${achieved}/s`);
        assert.ok(Math.abs(throughput / 200 - 1) < 0.01, `throughput ${throughput}/s`);
        assert.equal(summary.behindSchedule, false);
        assert.equal(windows.length, 12);
        for (const window of windows) assert.equal(window.ok, 200);
        // Progress: about once a second, with the rate, success and P99 of each target.
        assert.ok(progress.length >= 11, `${progress.length} progress events`);
        const mid = progress.slice(1, -2).map((entry) => entry.targets[0]);
        for (const entry of mid) {
          assert.ok(Math.abs((entry?.sentPerSecond as number) / 200 - 1) < 0.05, `${entry?.sentPerSecond}`);
          assert.equal(entry?.successRate, 1);
          assert.ok((entry?.p99Ms as number) > 0);
        }
        console.log(
          `    achieved ${achieved.toFixed(2)}/s, throughput ${throughput.toFixed(2)}/s, max send lag ${summary.maxSendLagMs.toFixed(2)} ms`,
        );
      } finally {
        sender.close();
        await stub.close();
      }
    });
  });
});
