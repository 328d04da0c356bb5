// An active fault lease as the dashboard shows it: who it hits, its parameters in one line (the
// words come from ./text.ts), and how long it has left. The overview lists the whole view; the run
// page shows a pick of it. Pure (no I/O, no React): loaders and client components both use it.
import type { FaultJson } from "../../chaos/control";
import { describeFaultParams } from "./text";

export interface ActiveFaultView {
  id: string;
  type: string;
  /** "network" for proxy toxics, "app" for the faults the web process applies itself. */
  layer: "app" | "network";
  /** The run whose requests it hits; null when it hits all traffic. */
  runId: string | null;
  /** "run 1f3c…" or "all traffic", plus the model when the lease names one. */
  scope: string;
  /** "latencyMs 200, jitterMs 50 · p 0.5" */
  params: string;
  actor: string;
  startedAt: string;
  expiresAt: string;
}

export function summariseFault(fault: FaultJson): ActiveFaultView {
  const runId = "run" in fault.scope ? fault.scope.run : null;
  const hits = runId === null ? "all traffic" : `run ${runId}`;
  return {
    id: fault.id,
    type: fault.type,
    layer: fault.type === "network" ? "network" : "app",
    runId,
    scope: fault.model ? `${hits} · model ${fault.model}` : hits,
    params: describeFaultParams(fault.type, fault.params, fault.probability),
    actor: fault.actor,
    startedAt: fault.createdAt,
    expiresAt: fault.expiresAt,
  };
}

/** Seconds left on a lease at `nowMs`, never negative. */
export function secondsLeft(expiresAt: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - nowMs) / 1000));
}

/** 42 → "42 s", 130 → "2 min 10 s", 0 → "expiring". */
export function formatSecondsLeft(seconds: number): string {
  if (seconds <= 0) return "expiring";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
