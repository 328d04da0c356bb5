import type { ResidualCheck as ResidualCheckData } from "@/lib/dashboard/run-page/types";
import { formatTimestamp } from "@/lib/format";
import styles from "./run.module.css";

const TONES = { pending: "info", clean: "good", residue: "bad", unverified: "warn" } as const;
const CHECKERS = { runner: "by the runner", sweeper: "by the sweeper" } as const;

/** Whether any fault of the run outlived it: the recorded check at its end, and the leases now. */
export function ResidualCheck({ check }: { check: ResidualCheckData }) {
  return (
    <section
      className={styles.residual}
      aria-label="Residual-fault check"
      data-state={check.state}
      data-by={check.by ?? undefined}
    >
      <h2 className="section-title">
        Residual-fault check <span className={`badge badge-${TONES[check.state]}`}>{check.state}</span>{" "}
        {check.by ? (
          <span className="muted small">
            {CHECKERS[check.by]}
            {check.checkedAt ? `, ${formatTimestamp(check.checkedAt)}` : ""}
          </span>
        ) : null}
      </h2>
      <p>{check.message}</p>
      {check.found.length ? (
        <ul aria-label="Faults found at the check">
          {check.found.map((fault) => (
            <li key={fault.id}>
              <code>{fault.type}</code> <span className="muted small">{fault.id}</span> found active, stopped
            </li>
          ))}
        </ul>
      ) : null}
      {check.activeNow.length ? (
        <ul aria-label="Faults active now">
          {check.activeNow.map((fault) => (
            <li key={fault.id}>
              <code>{fault.type}</code> <span className="muted small">{fault.id}</span> lease until{" "}
              {fault.expiresAt.slice(11, 19)} UTC
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
