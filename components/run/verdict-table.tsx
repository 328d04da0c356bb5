import { VerdictBadge } from "@/components/status-badge";
import { formatObserved } from "@/lib/dashboard/run-page/model";
import type { SloReport } from "@/lib/runner/run-record";
import styles from "./run.module.css";

/**
 * Every SLO judged per phase and target, with its observed value and verdict (and why, when it is
 * invalid or has no data); targets summarised first; phases whose data cannot be judged marked.
 */
export function VerdictTable({
  report,
  status,
  invalidPhases = {},
}: {
  report: SloReport | null;
  status: string;
  /** Phase → why its data cannot be judged. */
  invalidPhases?: Record<string, string[]>;
}) {
  return (
    <section aria-label="SLO verdicts">
      <h2 className="section-title">
        SLO verdicts {report ? <VerdictBadge verdict={report.verdict} /> : null}
      </h2>
      {!report ? (
        <p className="muted">
          {status === "queued" || status === "running"
            ? "Judged when the run ends."
            : "No verdict was recorded for this run (it ended before its SLOs were judged)."}
        </p>
      ) : (
        <>
          <ul className={styles.targetVerdicts} aria-label="Verdict per target">
            {report.targets.map((target) => (
              <li key={target.target}>
                <strong>{target.target}</strong> <span className="muted small">{target.role}</span>{" "}
                <VerdictBadge verdict={target.verdict} />{" "}
                <span className="muted small">
                  {(["pass", "warn", "fail", "no_data", "invalid"] as const)
                    .filter((verdict) => target.counts[verdict])
                    .map((verdict) => `${target.counts[verdict]} ${verdict.replace("_", " ")}`)
                    .join(" · ")}
                </span>
              </li>
            ))}
          </ul>
          <table className={`table ${styles.compact}`} aria-label="SLO verdict table">
            <thead>
              <tr>
                <th>Phase</th>
                <th>Target</th>
                <th>SLO (target ~ tolerance)</th>
                <th>Observed</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {report.results.map((result) => {
                const phaseInvalid = invalidPhases[result.phase];
                return (
                  <tr
                    key={`${result.phase}|${result.target}|${result.slo}`}
                    data-verdict={result.verdict}
                    data-phase-valid={phaseInvalid ? "false" : "true"}
                  >
                    <td>
                      {result.phase}
                      {phaseInvalid ? (
                        <>
                          {" "}
                          <span className="badge badge-warn" title={phaseInvalid.join(" ")}>
                            phase invalid
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {result.target}
                      {result.target === report.candidate ? (
                        <span className="muted small"> (candidate)</span>
                      ) : null}
                    </td>
                    <td>
                      <code>{result.slo}</code>
                    </td>
                    <td>{formatObserved(result.slo, result.observed)}</td>
                    <td>
                      <VerdictBadge verdict={result.verdict} />
                      {(result.verdict === "invalid" || result.verdict === "no_data") && result.reason ? (
                        <span className="muted small" data-testid="slo-reason">
                          {" "}
                          {result.reason}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
