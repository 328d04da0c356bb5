// The run page's judgements: what the residual-fault check says for each way a run can end,
// when latency is flagged, where the run is, and the fault events timeline.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  describeFault,
  estimateLoadStart,
  formatObserved,
  prepareFaultTimeline,
  prepareFlags,
  prepareProgress,
  prepareResidualCheck,
} from "./run-page-model";
import { preparePhaseBands } from "./run-series";

const base = { error: null, hasReport: true, faultsStarted: 1, activeNow: [] };

describe("prepareResidualCheck", () => {
  it("is pending while the run goes on", () => {
    assert.equal(prepareResidualCheck({ ...base, status: "running", hasReport: false }).state, "pending");
  });

  it("is clean when the worker finished its check (passed, failed, aborted on request)", () => {
    for (const status of ["passed", "failed", "aborted"]) {
      const check = prepareResidualCheck({
        ...base,
        status,
        error: status === "aborted" ? "aborted by request" : null,
      });
      assert.equal(check.state, "clean", status);
      assert.match(check.message, /no fault of this run is active now/);
    }
  });

  it("is clean for a run aborted before it started (no fault ever began)", () => {
    const check = prepareResidualCheck({
      status: "aborted",
      error: "aborted before it started",
      hasReport: false,
      faultsStarted: 0,
      activeNow: [],
    });
    assert.equal(check.state, "clean");
  });

  it("says what remained when the worker found faults still active after the run", () => {
    const check = prepareResidualCheck({
      ...base,
      status: "errored",
      hasReport: false,
      error: "Faults of this run were still active after it ended: latency, network.",
    });
    assert.equal(check.state, "residue");
    assert.match(check.message, /\(latency, network\)/);
  });

  it("reads the stale-run sweeper's verdict for a run whose worker died", () => {
    const error = (residue: string) =>
      `The worker executing this run (vm:1) stopped; last heartbeat 2026-01-01T00:00:00.000Z. Its faults lapsed with their leases; ${residue}.`;
    const check = (residue: string) =>
      prepareResidualCheck({ ...base, status: "errored", hasReport: false, error: error(residue) }).state;
    assert.equal(check("residual check clean"), "clean");
    assert.equal(check("2 residual fault(s) stopped"), "residue");
    assert.equal(check("residual check failed: fetch failed"), "unverified");
  });

  it("is not clean while a lease of the run is active after it ended, whatever the worker said", () => {
    const check = prepareResidualCheck({
      ...base,
      status: "passed",
      activeNow: [{ id: "f1", type: "latency", expiresAt: "2026-01-01T00:00:05.000Z" }],
    });
    assert.equal(check.state, "residue");
    assert.match(check.message, /latency/);
  });

  it("is unverified when the run errored before the worker's check", () => {
    const check = prepareResidualCheck({ ...base, status: "errored", hasReport: false, error: "boom" });
    assert.equal(check.state, "unverified");
  });
});

describe("prepareFlags", () => {
  it("flags latency from the run, its report or the live progress, and lag above the generator's threshold", () => {
    const none = prepareFlags({ latencyInvalid: false, windowsMaxSendLagMs: 2 });
    assert.deepEqual(none, { latencyInvalid: false, lagging: false, maxSendLagMs: 2 });
    assert.equal(prepareFlags({ latencyInvalid: true, windowsMaxSendLagMs: null }).latencyInvalid, true);
    assert.equal(
      prepareFlags({ latencyInvalid: false, report: { latencyInvalid: true }, windowsMaxSendLagMs: null })
        .latencyInvalid,
      true,
    );
    const live = prepareFlags({
      latencyInvalid: false,
      progress: { behindSchedule: true, maxSendLagMs: 168 },
      windowsMaxSendLagMs: 30,
    });
    assert.deepEqual(live, { latencyInvalid: true, lagging: true, maxSendLagMs: 168 });
  });
});

describe("prepareProgress", () => {
  const bands = preparePhaseBands([
    { name: "steady", durationSeconds: 20 },
    { name: "fault", durationSeconds: 20, faults: [{ type: "latency" }] },
  ]);

  it("reads the worker's progress and says which phase runs", () => {
    const progress = prepareProgress(
      {
        elapsedMs: 25_400,
        arrivals: 200,
        expectedArrivals: 203,
        maxSendLagMs: 1.5,
        behindSchedule: false,
        targets: [{ target: "fp32", sentPerSecond: 8, successRate: 1, p99Ms: 120, inFlight: 2 }],
      },
      { plannedSeconds: 40, bands, status: "running" },
    );
    assert.equal(progress.elapsedSeconds, 25.4);
    assert.equal(progress.currentPhase, "fault");
    assert.equal(progress.targets[0]?.p99Ms, 120);
  });

  it("copes with no progress yet, and names no phase once the run ended", () => {
    const empty = prepareProgress(null, { plannedSeconds: 40, bands, status: "queued" });
    assert.equal(empty.elapsedSeconds, null);
    assert.equal(empty.currentPhase, null);
    const ended = prepareProgress({ elapsedMs: 10_000 }, { plannedSeconds: 40, bands, status: "aborted" });
    assert.equal(ended.currentPhase, null);
  });
});

describe("the fault events timeline", () => {
  it("orders events, offsets them from the load's start and describes what started", () => {
    const bands = preparePhaseBands([
      { name: "steady", durationSeconds: 20 },
      { name: "fault", durationSeconds: 20, faults: [{ type: "network" }] },
    ]);
    const events = [
      { at: "2026-01-01T00:00:40.000Z", event: "stopped" },
      { at: "2026-01-01T00:00:20.250Z", event: "started" },
    ];
    const anchor = {
      bands,
      heartbeatAt: "2026-01-01T00:01:30.000Z",
      progress: { elapsedMs: 60_000 },
      startedAt: "2025-12-31T23:59:57.000Z",
    };
    const loadStart = estimateLoadStart({ ...anchor, events, live: false });
    assert.equal(loadStart, "2026-01-01T00:00:00.250Z", "the first start pins the faulted phase's start");
    assert.equal(estimateLoadStart({ ...anchor, events: [], live: true }), "2026-01-01T00:00:30.000Z");
    assert.equal(estimateLoadStart({ ...anchor, events: [], live: false }), anchor.startedAt);
    const timeline = prepareFaultTimeline(
      [
        {
          at: "2026-01-01T00:00:40.000Z",
          event: "stopped",
          faultId: "f",
          type: "network",
          params: {},
          actor: "admin",
        },
        {
          at: "2026-01-01T00:00:20.250Z",
          event: "started",
          faultId: "f",
          type: "network",
          params: {
            type: "network",
            proxy: "run_1",
            toxic: { type: "latency", attributes: { latency: 100, jitter: 20 } },
            scope: { run: "r" },
            expiresAt: "x",
            model: null,
            probability: 1,
          },
          actor: "admin",
        },
      ],
      loadStart,
    );
    assert.deepEqual(
      timeline.map((event) => [event.offsetSeconds, event.event, event.detail]),
      [
        [20, "started", "network latency (latency 100, jitter 20)"],
        [39.8, "ended", ""],
      ],
    );
  });

  it("describes faults with their parameters and whom they hit", () => {
    assert.equal(
      describeFault({ type: "error", status: 503, probability: 0.25, model: "int8" }),
      "error (status 503) on int8, 25% of requests",
    );
  });
});

describe("formatObserved", () => {
  it("shows an SLO's value in its metric's unit", () => {
    assert.equal(formatObserved("p(99)<250 ~ <500", 4313.087), "4313 ms");
    assert.equal(formatObserved("success_rate>=0.999 ~ >=0.99", 0.95172), "95.17%");
    assert.equal(formatObserved("error_rate{class:timeout}<0.01", 0.002), "0.20%");
    assert.equal(formatObserved("throughput>=5", 6.25), "6.3 ok/s");
    assert.equal(formatObserved("count{class:overflow}<1", 16), "16");
    assert.equal(formatObserved("accuracy>=0.9", null), "—");
  });
});
