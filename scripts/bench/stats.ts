// Formatting for benchmark output; percentiles come from lib/metrics/percentile.
export { median, percentile } from "../../lib/metrics/percentile";

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}
