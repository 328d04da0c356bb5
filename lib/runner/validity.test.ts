import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judgeValidity, type RunFault, type ValidityInput } from "./validity";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const at = (second: number) => T0 + second * 1000;

/** The fault phase's latency fault, on from `from` to `to` (seconds), ended for `reason`. */
const latencyFault = (from: number, to: number | null, endReason: string | null = "stopped"): RunFault => ({
  id: "f1",
  type: "latency",
  phase: "fault",
  startedAtMs: at(from),
  endedAtMs: to === null ? null : at(to),
  endReason,
});

/** warmup 0–5 s, steady 5–15 s, fault 15–25 s (one fault), recovery 25–30 s. */
function input(overrides: Partial<ValidityInput> = {}): ValidityInput {
  return {
    phases: [
      { name: "warmup", startSecond: 0, endSecond: 5, faults: 0 },
      { name: "steady", startSecond: 5, endSecond: 15, faults: 0 },
      { name: "fault", startSecond: 15, endSecond: 25, faults: 1 },
      { name: "recovery", startSecond: 25, endSecond: 30, faults: 0 },
    ],
    loadStartedAtMs: T0,
    load: { endedSecond: 30 },
    phaseStarts: new Map([["fault", {}]]),
    faults: [latencyFault(15.1, 25.05, "stopped")],
    halts: [],
    behindSchedule: false,
    ...overrides,
  };
}

describe("judgeValidity", () => {
  it("finds nothing wrong with a run whose fault was on for its whole phase", () => {
    const validity = judgeValidity(input());
    assert.ok(validity.phases.every((phase) => phase.valid));
    assert.deepEqual(validity.runReasons, []);
    assert.equal(validity.latencyInvalid, undefined);
  });

  it("makes a phase whose fault was halted invalid, and the halt an event with who threw it", () => {
    const validity = judgeValidity(
      input({
        faults: [latencyFault(15.1, 18, "halted")],
        halts: [{ atMs: at(18), actor: "ops-bot" }],
      }),
    );
    assert.deepEqual(
      validity.phases.filter((phase) => !phase.valid).map((phase) => phase.phase),
      ["fault"],
    );
    const reason = validity.invalidPhases.get("fault")?.[0];
    assert.equal(reason?.code, "faults_cut_short");
    assert.match(reason?.message ?? "", /ended 7\.0 s before the phase did: halted by ops-bot/);
    assert.deepEqual(validity.halts, [
      { at: new Date(at(18)).toISOString(), second: 18, actor: "ops-bot", phases: ["fault"] },
    ]);
    assert.equal(validity.runReasons[0]?.code, "halted");
  });

  it("keeps a halt that ended none of the run's faults as an event, without invalidating anything", () => {
    const validity = judgeValidity(input({ halts: [{ atMs: at(3), actor: "admin" }] }));
    assert.equal(validity.halts.length, 1);
    assert.deepEqual(validity.halts[0]?.phases, []);
    assert.ok(validity.phases.every((phase) => phase.valid));
  });

  it("makes a phase whose faults could not start invalid, and the phases never reached too", () => {
    const validity = judgeValidity(
      input({
        faults: [],
        phaseStarts: new Map([["fault", { error: "POST /api/v1/faults → 409: chaos is halted" }]]),
        load: {
          endedSecond: 15.2,
          stop: { kind: "stopped_early", message: "phase fault: faults could not start: 409" },
        },
      }),
    );
    assert.deepEqual(
      validity.phases.map((phase) => [phase.phase, phase.valid]),
      [
        ["warmup", true],
        ["steady", true],
        ["fault", false],
        ["recovery", false],
      ],
    );
    const codes = (phase: string) => validity.invalidPhases.get(phase)?.map((reason) => reason.code);
    assert.deepEqual(codes("fault"), ["stopped_early", "faults_not_started"]);
    assert.match(validity.invalidPhases.get("recovery")?.[0]?.message ?? "", /never ran/);
  });

  it("makes the phase an abort cut invalid, saying how much of it ran", () => {
    const validity = judgeValidity(
      input({
        faults: [latencyFault(15.1, 20, "stopped")],
        load: { endedSecond: 20, stop: { kind: "aborted", message: "aborted by request" } },
      }),
    );
    const reasons = validity.invalidPhases.get("fault") ?? [];
    assert.deepEqual(
      reasons.map((reason) => reason.code),
      ["aborted"],
    );
    assert.match(reasons[0]?.message ?? "", /cut at 5\.0 s of 10\.0 s/);
    assert.equal(validity.phases.find((phase) => phase.phase === "steady")?.valid, true);
  });

  it("calls a lapsed lease and a late start what they are", () => {
    const validity = judgeValidity(
      input({
        faults: [latencyFault(18, 22, "expired")],
      }),
    );
    const messages = (validity.invalidPhases.get("fault") ?? []).map((reason) => reason.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0] ?? "", /started 3\.0 s into the phase/);
    assert.match(messages[1] ?? "", /lease lapsed/);
  });

  it("leaves latency unjudged when the generator fell behind", () => {
    assert.equal(judgeValidity(input({ behindSchedule: true })).latencyInvalid?.code, "generator_behind");
  });
});
