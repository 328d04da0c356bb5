import type { Forest, RunVerdicts } from "@/lib/dashboard/compare/verdicts";
import styles from "./compare.module.css";
import { ComparisonBadge } from "./verdict-badge";

/** Each baseline's paired difference with its interval, on one axis per metric (a forest plot). */
export function PairedDifferences({
  verdicts,
  forests,
  several,
}: {
  verdicts: RunVerdicts[];
  forests: { runIndex: number; accuracy: Forest; p99: Forest }[];
  several: boolean;
}) {
  const withLines = verdicts.filter((run) => run.lines.length > 0);
  return (
    <section aria-label="Paired differences" className={styles.section}>
      <h2 className="section-title">Paired differences</h2>
      {withLines.length === 0 ? (
        <p className="muted">
          No baseline is shown: pick at least one baseline to see its paired differences.
        </p>
      ) : null}
      {withLines.map((run) => {
        const forest = forests.find((item) => item.runIndex === run.runIndex);
        if (!forest) return null;
        const prefix = several ? `#${run.runIndex} ` : "";
        return (
          <div key={run.runId} className={styles.forests} data-run-index={run.runIndex}>
            {several ? (
              <h3 className={styles.runHeading}>
                #{run.runIndex} · {run.candidate} against its baselines
              </h3>
            ) : null}
            <ForestTable
              title={`${prefix}Paired accuracy differences`}
              caption={`Accuracy end to end, ${run.candidate} − baseline: percentage points, 95 % interval and p-value paired on distinct items (n = items)`}
              forest={forest.accuracy}
              unit="pp"
            />
            <ForestTable
              title={`${prefix}Paired P99 differences`}
              caption={`P99 latency, ${run.candidate} − baseline: ms, 95 % paired bootstrap interval (below 0 = faster)`}
              forest={forest.p99}
              unit="ms"
            />
          </div>
        );
      })}
    </section>
  );
}

export function ForestTable({
  title,
  caption,
  forest,
  unit,
  rowHeader = "Baseline",
}: {
  title: string;
  caption: string;
  forest: Forest;
  unit: string;
  /** What each row is: a baseline, or a run's candidate. */
  rowHeader?: string;
}) {
  return (
    <figure className={styles.forest}>
      <figcaption>{caption}</figcaption>
      <table className={`table ${styles.board}`} aria-label={title}>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            <th scope="col">Difference</th>
            <th scope="col">95 % interval</th>
            <th scope="col" style={{ width: "36%" }}>
              <div className={styles.axis} title={`Axis from −${forest.extent} to +${forest.extent} ${unit}`}>
                <span>−{formatExtent(forest.extent)}</span>
                <span>0</span>
                <span>+{formatExtent(forest.extent)}</span>
              </div>
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {forest.rows.map((row) => {
            const { estimate } = row;
            const described = estimate.intervalText
              ? `${row.label}: ${estimate.estimateText} ${estimate.intervalText}, ${row.verdict}`
              : `${row.label}: no interval (${estimate.reason ?? "not compared"})`;
            return (
              <tr key={row.key} data-baseline={row.label} data-verdict={row.verdict}>
                <th scope="row">{row.label}</th>
                <td title={estimate.detail ?? undefined}>
                  {estimate.estimateText ?? "—"}
                  {estimate.pText ? <span className={styles.sub}>{estimate.pText}</span> : null}
                  {estimate.items !== null ? (
                    <span className={styles.sub}>n = {estimate.items} items</span>
                  ) : null}
                </td>
                <td>
                  {estimate.intervalText ?? <span className="muted small">{estimate.reason ?? "—"}</span>}
                </td>
                <td>
                  <div className={styles.track} role="img" aria-label={described}>
                    <span className={styles.zero} style={{ left: `${forest.zeroPercent}%` }} />
                    {row.lowPercent !== null && row.highPercent !== null ? (
                      <span
                        className={`${styles.interval} ${styles[`tone-${row.verdict}`]}`}
                        style={{
                          left: `${row.lowPercent}%`,
                          width: `${Math.max(0.5, row.highPercent - row.lowPercent)}%`,
                        }}
                      />
                    ) : null}
                    {row.estimatePercent !== null ? (
                      <span
                        className={`${styles.estimate} ${styles[`tone-${row.verdict}`]}`}
                        style={{ left: `${row.estimatePercent}%` }}
                      />
                    ) : null}
                  </div>
                </td>
                <td>
                  <ComparisonBadge verdict={row.verdict} unavailable={estimate.status === "unavailable"} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

function formatExtent(extent: number): string {
  return extent >= 1000 ? `${extent / 1000}k` : String(extent);
}
