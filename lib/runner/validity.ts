// Which parts of a run can be judged. A phase with faults is a claim — "under this fault, the
// model did that" — and holds only if its faults were active for the whole phase: started on
// time, not halted, not lapsed, not stopped by someone else. A phase the run never finished
// (aborted, stopped early) cannot be judged either, and neither can latency when the generator
// fell behind its schedule. Pure: the runner gathers the facts (fault rows, halt events, how the
// load ended) and this decides; docs/verdicts.md is the written definition.
import type { HaltEvent, InvalidReason, PhaseValidity } from "./run-record";

export interface PhaseWindow {
  name: string;
  /** Seconds since the load started. */
  startSecond: number;
  endSecond: number;
  /** How many faults the spec gives the phase. */
  faults: number;
}

/** A fault of this run as the faults table has it (times in ms since the epoch). */
export interface RunFault {
  id: string;
  type: string;
  phase: string;
  startedAtMs: number;
  endedAtMs: number | null;
  /** stopped | expired | halted | superseded */
  endReason: string | null;
}

export interface PhaseStart {
  /** The faults the phase asked for did not all start: why (the control API's answer). */
  error?: string;
}

export interface LoadEnd {
  /** Seconds since the load started when it stopped scheduling; the planned end when it ran out. */
  endedSecond: number;
  /** Why it stopped before its planned end; absent when it ran to the end. */
  stop?: { kind: "aborted" | "stopped_early"; message: string };
}

export interface ValidityInput {
  phases: readonly PhaseWindow[];
  loadStartedAtMs: number;
  load: LoadEnd;
  phaseStarts: ReadonlyMap<string, PhaseStart>;
  faults: readonly RunFault[];
  /** Kill-switch halts while the load ran (ms since the epoch, who). */
  halts: readonly { atMs: number; actor: string }[];
  behindSchedule: boolean;
}

export interface Validity {
  phases: PhaseValidity[];
  /** Phase → why it cannot be judged (only invalid phases). */
  invalidPhases: Map<string, InvalidReason[]>;
  latencyInvalid?: InvalidReason;
  /** Concerning the whole run: the halts that cut it, an abort. */
  runReasons: InvalidReason[];
  halts: HaltEvent[];
}

/** A fault may start or end this late or early without the phase losing its claim. */
export function faultSlackMs(phase: PhaseWindow): number {
  return Math.max(1000, (phase.endSecond - phase.startSecond) * 50);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function judgeValidity(input: ValidityInput): Validity {
  const { loadStartedAtMs: t0 } = input;
  const invalidPhases = new Map<string, InvalidReason[]>();
  const add = (reason: InvalidReason & { phase: string }) =>
    invalidPhases.set(reason.phase, [...(invalidPhases.get(reason.phase) ?? []), reason]);

  const halts: HaltEvent[] = input.halts.map((halt) => ({
    at: new Date(halt.atMs).toISOString(),
    second: Math.max(0, (halt.atMs - t0) / 1000),
    actor: halt.actor,
    phases: [],
  }));
  const haltNear = (atMs: number) =>
    halts.find((halt) => Math.abs(Date.parse(halt.at) - atMs) <= 2000) ??
    halts.filter((halt) => Date.parse(halt.at) <= atMs).at(-1);

  for (const phase of input.phases) {
    const phaseStartMs = t0 + phase.startSecond * 1000;
    const phaseEndMs = t0 + phase.endSecond * 1000;
    const { stop } = input.load;
    const reachedEnd = input.load.endedSecond >= phase.endSecond || !stop;
    if (!reachedEnd && stop) {
      const began = input.load.endedSecond > phase.startSecond;
      add({
        code: stop.kind,
        phase: phase.name,
        message: began
          ? `${phase.name} was cut at ${seconds((input.load.endedSecond - phase.startSecond) * 1000)} of ${seconds((phase.endSecond - phase.startSecond) * 1000)}: ${stop.message}`
          : `${phase.name} never ran: ${stop.message}`,
      });
    }
    if (phase.faults === 0) continue;
    const start = input.phaseStarts.get(phase.name);
    const began = input.load.endedSecond > phase.startSecond;
    if (start?.error !== undefined) {
      add({
        code: "faults_not_started",
        phase: phase.name,
        message: `the faults of ${phase.name} did not start: ${start.error}`,
      });
      continue;
    }
    if (!began) continue;
    const slackMs = faultSlackMs(phase);
    const ownFaults = input.faults.filter((fault) => fault.phase === phase.name);
    if (ownFaults.length < phase.faults) {
      add({
        code: "faults_not_started",
        phase: phase.name,
        message: `${phase.name} asked for ${phase.faults} fault(s); ${ownFaults.length} started`,
      });
    }
    const effectiveEndMs = reachedEnd ? phaseEndMs : t0 + input.load.endedSecond * 1000;
    for (const fault of ownFaults) {
      if (fault.startedAtMs - phaseStartMs > slackMs) {
        add({
          code: "faults_not_started",
          phase: phase.name,
          message: `the ${fault.type} fault of ${phase.name} started ${seconds(fault.startedAtMs - phaseStartMs)} into the phase`,
        });
      }
      const endedAtMs = fault.endedAtMs ?? Number.POSITIVE_INFINITY;
      if (effectiveEndMs - endedAtMs > slackMs) {
        const halt = fault.endReason === "halted" ? haltNear(endedAtMs) : undefined;
        if (halt && !halt.phases.includes(phase.name)) halt.phases.push(phase.name);
        const why =
          fault.endReason === "halted"
            ? `halted${halt ? ` by ${halt.actor}` : ""}`
            : fault.endReason === "expired"
              ? "its lease lapsed (not renewed in time)"
              : `${fault.endReason ?? "ended"} by someone other than this run`;
        add({
          code: "faults_cut_short",
          phase: phase.name,
          message: `the ${fault.type} fault of ${phase.name} ended ${seconds(effectiveEndMs - endedAtMs)} before the phase did: ${why}`,
        });
      }
    }
  }

  const runReasons: InvalidReason[] = halts
    .filter((halt) => halt.phases.length > 0)
    .map((halt) => ({
      code: "halted" as const,
      message: `chaos was halted at +${halt.second.toFixed(0)} s by ${halt.actor}, ending the faults of ${halt.phases.join(", ")}`,
    }));
  const latencyInvalid: InvalidReason | undefined = input.behindSchedule
    ? {
        code: "generator_behind",
        message:
          "the load generator fell behind its schedule: latencies are not trustworthy, so latency SLOs are not judged",
      }
    : undefined;
  return {
    phases: input.phases.map((phase) => ({
      phase: phase.name,
      valid: !invalidPhases.has(phase.name),
      reasons: invalidPhases.get(phase.name) ?? [],
    })),
    invalidPhases,
    ...(latencyInvalid ? { latencyInvalid } : {}),
    runReasons,
    halts,
  };
}
