// The outcome classes of a request, in display order: shared by the runner and the browser
// (which must not import the histogram code in windows.ts).
/**
 * How a request ended. `overflow` is a client-side drop: the target already had its maximum in
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
  "overflow",
] as const;
export type Outcome = (typeof OUTCOMES)[number];
