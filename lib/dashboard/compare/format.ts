// Number formatting of the compare page. The display precision is also what "equal" means for
// the differences-only filter. Pure and dependency-free: client charts import it too.

export type ValueKind = "percent" | "ms" | "rate" | "unit" | "score" | "count";

export function formatValue(value: number | null, kind: ValueKind): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (kind) {
    case "percent":
      return `${(value * 100).toFixed(1)}%`;
    case "ms":
      return formatMs(value);
    case "rate":
      return `${value.toFixed(2)}/s`;
    case "unit":
      return value.toFixed(2);
    case "score":
      return value.toFixed(0);
    case "count":
      return String(Math.round(value));
  }
}

/** Milliseconds with three significant figures at most (what an HDR histogram resolves). */
export function formatMs(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${value.toFixed(0)} ms`;
  if (abs >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** A signed difference for display: "+1.2 pp", "−35%" (true minus sign). */
export function formatSigned(value: number, digits: number, unit: string): string {
  const text = Math.abs(value).toFixed(digits);
  const zero = Number(text) === 0;
  const sign = zero ? "±" : value > 0 ? "+" : "−";
  return `${sign}${text}${unit}`;
}
