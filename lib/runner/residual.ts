// The residual-fault check: after a run (or after its worker died), list the faults of the run
// the web process still has active and stop them. The result is typed data (runs.residual), read
// by the run page and the API; the sentence in runs.error is for people only.
import { describeError } from "../../kernel/errors";
import type { FaultController } from "./fault-controller";
import type { ResidualCheck } from "./run-record";

export async function checkResidualFaults(
  faults: FaultController,
  by: ResidualCheck["by"],
): Promise<ResidualCheck> {
  const checkedAt = () => new Date().toISOString();
  try {
    const left = await faults.residual();
    if (left.length > 0) await faults.stop(left.map((fault) => fault.id));
    return { state: left.length === 0 ? "clean" : "residue", by, faults: left, checkedAt: checkedAt() };
  } catch (error) {
    return { state: "failed", by, faults: [], checkedAt: checkedAt(), error: describeError(error) };
  }
}

/** One clause for runs.error: "residual check clean", "2 residual fault(s) stopped"… */
export function describeResidual(check: ResidualCheck): string {
  if (check.state === "clean") return "residual check clean";
  if (check.state === "residue") return `${check.faults.length} residual fault(s) stopped`;
  return `residual check failed: ${check.error ?? "unknown error"}`;
}
