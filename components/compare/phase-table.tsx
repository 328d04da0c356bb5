import type { PhaseTable } from "@/lib/dashboard/compare/core";
import styles from "./compare.module.css";

/**
 * Every phase × metric as a row, a column per model: the breakdown behind the leaderboard. A phase
 * whose data cannot be judged (faults cut short, halted…) is marked invalid in its cells.
 */
export function PhaseBreakdown({
  table,
  diff,
  several,
}: {
  table: PhaseTable;
  diff: boolean;
  several: boolean;
}) {
  return (
    <section aria-label="Per-phase breakdown" className={styles.section}>
      <h2 className="section-title">Per phase</h2>
      {table.rows.length === 0 ? (
        <p className="muted">Differences only: every phase shows the same figures for every model.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`table ${styles.board} ${styles.phaseTable}`} aria-label="Per-phase breakdown">
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">Metric</th>
                {table.columns.map((column) => (
                  <th key={column.key} scope="col" data-column={column.key}>
                    <span className={styles.swatch} style={{ background: column.color }} aria-hidden="true" />{" "}
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key} data-phase={row.phase} data-metric={row.metric}>
                  <th
                    scope="row"
                    className={row.faulted ? styles.faulted : undefined}
                    title={row.faults || undefined}
                  >
                    {row.phase}
                    {several && row.runIndexes.length < table.runs ? (
                      <span className={styles.sub}>
                        only in {row.runIndexes.map((index) => `#${index}`).join(", ")}
                      </span>
                    ) : null}
                    {row.counts ? null : <span className={styles.sub}>not counted</span>}
                    {row.faults ? <span className={styles.sub}>{row.faults}</span> : null}
                  </th>
                  <td>{row.metricLabel}</td>
                  {table.columns.map((column) => (
                    <td key={column.key} data-valid={row.invalid.includes(column.key) ? "false" : undefined}>
                      {row.cells[column.key] ?? ""}
                      {row.invalid.includes(column.key) ? (
                        <span className={styles.sub}>
                          <span className="badge badge-warn" title="This phase's data cannot be judged">
                            invalid
                          </span>
                        </span>
                      ) : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {diff && table.hidden > 0 ? (
        <p className={styles.note}>
          Differences only: {table.hidden} phase × metric rows hidden (equal for every model shown).
        </p>
      ) : null}
    </section>
  );
}
