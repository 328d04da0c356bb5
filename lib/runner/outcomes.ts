// The outcome classes of a request, in display order: shared by the runner and the browser
// (which must not import the histogram code in windows.ts).
/**
 * How a request ended. `degraded`: the requested model did not answer; a fallback did (the
 * response said degraded: true, servedBy another model). It counts as a failure of the requested
 * model and has a latency. `overflow` is a client-side drop: the target already had its maximum in
 * flight, so the request was never sent. It counts as a failure (it is in the total, not in `ok`)
 * and has no latency; a run with overflows has hit its own cap, not necessarily the server's.
 */
export const OUTCOMES = [
  "ok",
  "http_4xx",
  "http_5xx",
  "rejected_429",
  "timeout",
  "connection_error",
  "degraded",
  "overflow",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Counts by outcome as windows carry them; rows stored before a class existed lack it. */
export interface ArrivalCounts {
  ok: number;
  http4xx: number;
  http5xx: number;
  rejected429: number;
  timeout: number;
  connectionError: number;
  /** Answered by a fallback model, not the requested one: a failure of the requested model. */
  degraded?: number;
  /** Never sent: the target already had maxInFlight outstanding. */
  overflow?: number;
}

/** Every arrival, whatever its outcome: answered, failed by class, degraded or overflowed. */
export function totalArrivals(counts: ArrivalCounts): number {
  return (
    counts.ok +
    counts.http4xx +
    counts.http5xx +
    counts.rejected429 +
    counts.timeout +
    counts.connectionError +
    (counts.degraded ?? 0) +
    (counts.overflow ?? 0)
  );
}
