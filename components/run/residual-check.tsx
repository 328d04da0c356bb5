import type { ResidualCheck as ResidualCheckData } from "@/lib/dashboard/run-page-model";
import styles from "./run.module.css";

const TONES = { pending: "info", clean: "good", residue: "bad", unverified: "warn" } as const;

/** Whether any fault of the run outlived it: the worker's check at the end, and the leases now. */
export function ResidualCheck({ check }: { check: ResidualCheckData }) {
  return (
    <section className={styles.residual} aria-label="Residual-fault check" data-state={check.state}>
      <h2 className="section-title">
        Residual-fault check <span className={`badge badge-${TONES[check.state]}`}>{check.state}</span>
      </h2>
      <p>{check.message}</p>
      {check.activeNow.length ? (
        <ul>
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
