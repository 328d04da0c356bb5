// The run page's judgements: what the residual-fault check says for each way a run can end,
// when latency is flagged, where the run is, and the fault events timeline.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResidualCheck as ResidualRecord, RunRecord } from "../../runner/run-record";
import { RunReport, SloReport } from "../../runner/run-record";
import {
  estimateLoadStart,
  formatObserved,
  prepareFaultTimeline,
  prepareFlags,
  prepareHaltMarkers,
  prepareProgress,
  prepareResidualCheck,
  prepareRunOutcome,
  RUN_HALTED,
} from "./model";
import { prepareErrorBreakdown, preparePhaseBands } from "./series";

const base = { residual: null, faultsStarted: 1, activeNow: [] };
const check = (
  state: "clean" | "residue" | "failed",
  extra: Partial<ResidualRecord> = {},
): ResidualRecord => ({
  state,
  by: "runner",
  faults: [],
  checkedAt: "2026-01-01T00:01:00.000Z",
  ...extra,
});

describe("prepareResidualCheck", () => {
  it("is pending while the run goes on", () => {
    assert.equal(prepareResidualCheck({ ...base, status: "running" }).state, "pending");
  });

  it("reads the runner's recorded check, whatever status the run ended with", () => {
    for (const status of ["passed", "failed", "aborted", "invalid"]) {
      const result = prepareResidualCheck({ ...base, status, residual: check("clean") });
      assert.equal(result.state, "clean", status);
      assert.equal(result.by, "runner");
      assert.match(result.message, /runner checked/);
      assert.match(result.message, /no fault of this run is active now/);
    }
  });

  it("is clean for a run aborted before it started (no fault ever began)", () => {
    const result = prepareResidualCheck({ ...base, status: "aborted", faultsStarted: 0 });
    assert.equal(result.state, "clean");
  });

  it("names what remained when the check found faults still active after the run", () => {
    const result = prepareResidualCheck({
      ...base,
      status: "errored",
      residual: check("residue", {
        faults: [
          { id: "f1", type: "latency" },
          { id: "f2", type: "network" },
        ],
      }),
    });
    assert.equal(result.state, "residue");
    assert.match(result.message, /2 fault\(s\) of this run still active \(latency, network\)/);
    assert.deepEqual(
      result.found.map((fault) => fault.type),
      ["latency", "network"],
    );
  });

  it("says when the sweeper checked a run whose worker died, and when its check failed", () => {
    const swept = (residual: ResidualRecord) =>
      prepareResidualCheck({ ...base, status: "errored", residual: { ...residual, by: "sweeper" } });
    assert.equal(swept(check("clean")).state, "clean");
    assert.equal(swept(check("clean")).by, "sweeper");
    assert.match(swept(check("clean")).message, /sweeper/);
    assert.equal(swept(check("residue", { faults: [{ id: "f", type: "error" }] })).state, "residue");
    const failed = swept(check("failed", { error: "fetch failed" }));
    assert.equal(failed.state, "unverified");
    assert.match(failed.message, /fetch failed/);
  });

  it("is not clean while a lease of the run is active after it ended, whatever the check said", () => {
    const result = prepareResidualCheck({
      ...base,
      status: "passed",
      residual: check("clean"),
      activeNow: [{ id: "f1", type: "latency", expiresAt: "2026-01-01T00:00:05.000Z" }],
    });
    assert.equal(result.state, "residue");
    assert.match(result.message, /latency/);
  });

  it("is unverified when faults started but no check is on record", () => {
    const result = prepareResidualCheck({ ...base, status: "errored" });
    assert.equal(result.state, "unverified");
    assert.equal(result.by, null);
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

const halt = {
  at: "2026-01-01T00:00:31.500Z",
  second: 31.5,
  actor: "admin",
  phases: ["fault"],
};

/** A halted run's record: verdict invalid, the fault phase cut short, a latency SLO not trustworthy. */
function haltedRecord(): RunRecord {
  const report = RunReport.parse({
    verdict: "invalid",
    stopReason: null,
    latencyInvalid: true,
    maxSendLagMs: 40,
    arrivals: 400,
    expectedArrivals: 400,
    durationMs: 40_000,
    targets: [
      {
        target: "fp32",
        role: "candidate",
        verdict: "invalid",
        requests: 200,
        successRate: 0.9,
        throughputPerSecond: 4.5,
        accuracy: 0.72,
        answeredAccuracy: 0.8,
        cer: null,
        counts: { ok: 180, timeout: 10, degraded: 10 },
        degradedBy: { int8: 10 },
        items: 50,
        latencyMs: { p50: 100, p90: 150, p99: 300, p999: null },
        serviceMs: { p50: 90, p90: 140, p99: 280, p999: null },
      },
    ],
    phases: [],
    comparisons: [],
    resilience: [],
    validity: [
      { phase: "steady", valid: true, reasons: [] },
      {
        phase: "fault",
        valid: false,
        reasons: [{ code: "faults_cut_short", phase: "fault", message: "latency ended 8.5 s early" }],
      },
    ],
    halts: [halt],
    loadStartedAt: "2026-01-01T00:00:00.000Z",
  });
  const verdict = SloReport.parse({
    verdict: "invalid",
    candidate: "fp32",
    targets: [],
    results: [
      {
        phase: "fault",
        target: "fp32",
        slo: "p(99)<500",
        observed: 300,
        verdict: "invalid",
        reason: "the generator fell behind",
      },
    ],
    invalidReasons: [
      { code: "halted", message: "The kill switch was thrown by admin at 31.5 s." },
      { code: "faults_cut_short", phase: "fault", message: "latency ended 8.5 s early" },
    ],
  });
  return { report, verdict, residual: null };
}

describe("a halted run", () => {
  it("prepares a marker for every halt, labelled with who threw the switch", () => {
    assert.deepEqual(prepareHaltMarkers([halt]), [{ second: 31.5, label: "halted by admin" }]);
    const outcome = prepareRunOutcome(haltedRecord());
    assert.deepEqual(outcome.halts, [{ second: 31.5, label: "halted by admin" }]);
  });

  it("puts the halt in the fault timeline as a line of its own, in time order", () => {
    const timeline = prepareFaultTimeline(
      [
        {
          at: "2026-01-01T00:00:20.000Z",
          event: "started",
          faultId: "f",
          type: "latency",
          params: { type: "latency", latencyMs: 300 },
          actor: "runner",
        },
        {
          at: "2026-01-01T00:00:31.600Z",
          event: "halted",
          faultId: "f",
          type: "latency",
          params: {},
          actor: "admin",
        },
      ],
      "2026-01-01T00:00:00.000Z",
      [halt],
    );
    assert.deepEqual(
      timeline.map((event) => [event.offsetSeconds, event.event]),
      [
        [20, "started"],
        [31.5, RUN_HALTED],
        [31.6, "halted (kill switch)"],
      ],
    );
    assert.match(timeline[1]?.detail ?? "", /^halted by admin: ended the faults of fault$/);
  });

  it("gives every reason the verdict is invalid once, whole-run ones first, and marks the invalid phase", () => {
    const outcome = prepareRunOutcome(haltedRecord());
    assert.equal(outcome.verdict, "invalid");
    assert.deepEqual(
      outcome.invalidReasons.map((reason) => [reason.code, reason.phase]),
      [
        ["halted", null],
        ["faults_cut_short", "fault"],
      ],
    );
    assert.deepEqual(outcome.invalidPhases, { fault: ["latency ended 8.5 s early"] });
    assert.equal(outcome.latencyInvalid, true);
    assert.equal(outcome.invalidLatencySlos, 1);
  });

  it("shows accuracy end to end beside answered accuracy, with degraded answers by model", () => {
    const [row] = prepareRunOutcome(haltedRecord()).accuracy;
    assert.equal(row?.accuracy, 0.72);
    assert.equal(row?.answeredAccuracy, 0.8);
    assert.equal(row?.items, 50);
    assert.equal(row?.degraded, 10);
    assert.deepEqual(row?.degradedBy, [{ model: "int8", count: 10 }]);
  });

  it("reads an empty record as no verdict and nothing invalid", () => {
    const outcome = prepareRunOutcome({ report: null, verdict: null, residual: null });
    assert.equal(outcome.verdict, null);
    assert.deepEqual(outcome.invalidReasons, []);
    assert.deepEqual(outcome.halts, []);
  });
});

describe("prepareErrorBreakdown", () => {
  it("counts degraded answers as their own class and overflows among the requests", () => {
    const [row] = prepareErrorBreakdown(
      [
        {
          target: "fp32",
          ok: 7,
          http4xx: 0,
          http5xx: 1,
          rejected429: 0,
          timeout: 0,
          connectionError: 0,
          overflow: 2,
          degraded: 3,
          correct: 5,
          scored: 7,
        },
      ],
      ["fp32"],
    );
    assert.equal(row?.requests, 13);
    assert.equal(row?.counts.degraded, 3);
    assert.equal(row?.counts.overflow, 2);
    assert.equal(row?.counts.ok, 7);
  });
});
