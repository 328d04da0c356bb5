// How a fault reads on the dashboard, in one place. Three lengths, one per place it is shown:
// a spec fault or a started event on the run page (`describeFault`), a fault in a few words in the
// compare page's phase table (`describeFaultShort`), and a live lease's parameters on the overview
// (`describeFaultParams`); and what a fault event is called (`describeFaultEvent`). Pure (no I/O,
// no React): safe on server and client.
import type { FaultInput } from "../compare/types";

/** One line for a spec fault: its type, its parameters, and whom it hits when not everyone. */
export function describeFault(fault: unknown): string {
  if (typeof fault !== "object" || fault === null) return String(fault);
  const { type, probability, model, toxic, ...params } = fault as Record<string, unknown>;
  const shown = (entries: Record<string, unknown>) =>
    Object.entries(entries)
      .filter(([, value]) => ["string", "number", "boolean"].includes(typeof value))
      .map(([key, value]) => `${key} ${value}`)
      .join(", ");
  let text = String(type ?? "fault");
  if (toxic && typeof toxic === "object") {
    const { type: toxicType, attributes } = toxic as { type?: unknown; attributes?: Record<string, unknown> };
    text += ` ${String(toxicType ?? "")}`.trimEnd();
    const detail = shown(attributes ?? {});
    if (detail) text += ` (${detail})`;
  } else {
    const detail = shown(params);
    if (detail) text += ` (${detail})`;
  }
  if (typeof model === "string") text += ` on ${model}`;
  if (typeof probability === "number" && probability < 1)
    text += `, ${Math.round(probability * 100)}% of requests`;
  return text;
}

const EVENT_LABELS: Readonly<Record<string, string>> = {
  started: "started",
  stopped: "ended",
  expired: "expired (lease lapsed)",
  halted: "halted (kill switch)",
  superseded: "superseded",
};

/** A fault event (fault_events.event) as the run page's timeline names it; an unknown one as is. */
export function describeFaultEvent(event: string): string {
  return EVENT_LABELS[event] ?? event;
}

/** "corrupt_input gaussian_blur@3", "network (fp32 only)": a fault in a few words. */
export function describeFaultShort(fault: FaultInput): string {
  const detail =
    fault.type === "corrupt_input" && fault.corruption
      ? ` ${fault.corruption}${fault.severity !== undefined ? `@${fault.severity}` : ""}`
      : "";
  const scope = fault.model ? ` (${fault.model} only)` : "";
  const share = fault.probability !== undefined && fault.probability < 1 ? ` p=${fault.probability}` : "";
  return `${fault.type}${detail}${scope}${share}`;
}

const MAX_TEXT = 40;

/** A lease's parameters in one line: a network toxic reads as its toxic, others as `name value` pairs. */
export function describeFaultParams(type: string, params: Record<string, unknown>, probability = 1): string {
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
