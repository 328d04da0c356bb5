// The verdict a run list shows for a run, read from its typed record: an `invalid` run shows
// `invalid` whatever its record says, so a run whose data cannot support a verdict never wears a
// pass badge. Pure: shared by the overview and the run lists.
import { type RunVerdict, readRunRecord } from "../runner/run-record";

/** The candidate's verdict for a run list; null before the run is judged (or when it errored). */
export function listedVerdict(status: string, verdictColumn: unknown): RunVerdict | null {
  if (status === "invalid") return "invalid";
  return readRunRecord({ summary: null, verdict: verdictColumn }).verdict?.verdict ?? null;
}
