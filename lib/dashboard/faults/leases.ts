// How the overview lists an active fault lease: one line of parameters, who it hits, and how long
// it has left. Pure (no I/O, no React): the loader and the client component both use it.
import type { FaultJson } from "../chaos/control";

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
    params: summariseParams(fault.type, fault.params, fault.probability),
    actor: fault.actor,
    startedAt: fault.createdAt,
    expiresAt: fault.expiresAt,
  };
}

const MAX_TEXT = 40;

/** The parameters in one line: a network toxic reads as its toxic, others as `name value` pairs. */
export function summariseParams(type: string, params: Record<string, unknown>, probability = 1): string {
  const parts = type === "network" ? [describeToxic(params)] : describeFields(params);
  if (probability < 1) parts.push(`p ${probability}`);
  return parts.filter((part) => part !== "").join(", ") || "—";
}

function describeToxic(params: Record<string, unknown>): string {
  const toxic = (params.toxic ?? {}) as Record<string, unknown>;
  const details = Object.entries((toxic.attributes ?? {}) as Record<string, unknown>).map(
    ([key, value]) => `${key} ${formatValue(value)}`,
  );
  if (typeof toxic.toxicity === "number" && toxic.toxicity < 1) details.push(`toxicity ${toxic.toxicity}`);
  const stream = typeof toxic.stream === "string" ? ` ${toxic.stream}` : "";
  const detail = details.length > 0 ? ` (${details.join(", ")})` : "";
  return `${String(toxic.type ?? "toxic")}${stream} on proxy ${String(params.proxy ?? "?")}${detail}`;
}

function describeFields(params: Record<string, unknown>): string[] {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key} ${formatValue(value)}`);
}

function formatValue(value: unknown): string {
  if (typeof value === "string")
    return value.length > MAX_TEXT ? `“${value.slice(0, MAX_TEXT - 1)}…”` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const json = JSON.stringify(value) ?? "";
  return json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT - 1)}…` : json;
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
