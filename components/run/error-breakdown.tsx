import { formatElapsed } from "@/lib/dashboard/run-page/charts";
import { outcomeShares } from "@/lib/dashboard/run-page/model";
import type { ErrorBreakdownRow } from "@/lib/dashboard/run-page/types";
import { OUTCOMES } from "@/lib/runner/outcomes";
import styles from "./run.module.css";

export const OUTCOME_COLORS: Record<(typeof OUTCOMES)[number], string> = {
  ok: "#3fb950",
  http_4xx: "#e3b341",
  http_5xx: "#f85149",
  rejected_429: "#f0883e",
  timeout: "#bc8cff",
  connection_error: "#ff7b72",
  degraded: "#39c5cf",
  overflow: "#8b98a5",
};

/**
 * Requests by outcome class per target: counts, shares, and a stacked bar. `degraded` (a fallback
 * model answered) is its own class, and overflows (never sent) count among the requests.
 */
export function ErrorBreakdown({
  rows,
  colors,
  zoomed,
  from,
  to,
}: {
  rows: ErrorBreakdownRow[];
  colors: Record<string, string>;
  zoomed: boolean;
  from: number;
  to: number;
}) {
  return (
    <section aria-label="Outcomes by class">
      <h2 className="section-title">
        Outcomes by class{" "}
        <span className="muted small">
          {zoomed ? `${formatElapsed(from)}–${formatElapsed(to)}` : "whole run"}
        </span>
      </h2>
      <table className={`table ${styles.breakdown}`} aria-label="Outcomes by class per target">
        <thead>
          <tr>
            <th>Target</th>
            <th>Requests</th>
            {OUTCOMES.map((outcome) => (
              <th key={outcome}>
                <span
                  className={styles.swatch}
                  style={{ background: OUTCOME_COLORS[outcome] }}
                  aria-hidden="true"
                />
                {outcome}
              </th>
            ))}
            <th className={styles.barColumn}>Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const shares = outcomeShares(row);
            return (
              <tr key={row.target} data-target={row.target}>
                <td>
                  <span
                    className={styles.swatch}
                    style={{ background: colors[row.target] }}
                    aria-hidden="true"
                  />
                  {row.target}
                </td>
                <td>{row.requests}</td>
                {OUTCOMES.map((outcome) => (
                  <td
                    key={outcome}
                    className={row.counts[outcome] && outcome !== "ok" ? styles.nonzero : undefined}
                  >
                    {row.counts[outcome]}
                    {row.requests && row.counts[outcome] ? (
                      <span className="muted small"> {(shares[outcome] * 100).toFixed(1)}%</span>
                    ) : null}
                  </td>
                ))}
                <td className={styles.barColumn}>
                  <div className={styles.stack} aria-hidden="true">
                    {OUTCOMES.map((outcome) =>
                      shares[outcome] > 0 ? (
                        <span
                          key={outcome}
                          style={{ width: `${shares[outcome] * 100}%`, background: OUTCOME_COLORS[outcome] }}
                          title={`${outcome}: ${row.counts[outcome]}`}
                        />
                      ) : null,
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
