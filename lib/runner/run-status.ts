// A run's lifecycle statuses, in one place for the runner, the API, the CLI and the browser.
// `passed` and `failed` are verdicts on valid data; `invalid` ran to its end but its data cannot
// support a verdict (halted mid-fault, faults cut short…); `aborted` stopped before its end.
export const RUN_STATUSES = [
  "queued",
  "running",
  "passed",
  "failed",
  "aborted",
  "errored",
  "invalid",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses a run never leaves. */
export const FINAL_RUN_STATUSES = ["passed", "failed", "aborted", "errored", "invalid"] as const;
export type FinalRunStatus = (typeof FINAL_RUN_STATUSES)[number];

/** Final statuses that come with a report (an errored run has none). */
export const REPORTED_RUN_STATUSES = ["passed", "failed", "aborted", "invalid"] as const;

export const isFinalRunStatus = (status: string): status is FinalRunStatus =>
  (FINAL_RUN_STATUSES as readonly string[]).includes(status);

/**
 * A finished run's status from its verdict and how it ended (docs/verdicts.md): an abort request
 * wins; a failure on valid data is `failed` (a stop condition is one); a run that stopped itself
 * early without failing is `aborted`; one that ran to its end is `passed` or `invalid`.
 */
export function runStatusOf(
  verdict: "pass" | "warn" | "fail" | "invalid",
  stop: "aborted" | "stopped_early" | undefined,
): Exclude<FinalRunStatus, "errored"> {
  if (stop === "aborted") return "aborted";
  if (verdict === "fail") return "failed";
  if (stop) return "aborted";
  return verdict === "invalid" ? "invalid" : "passed";
}
