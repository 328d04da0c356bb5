import { VerdictBadge } from "@/components/status-badge";
import { formatObserved } from "@/lib/dashboard/run-page-model";
import type { SloReport } from "@/lib/metrics/slo";
import styles from "./run.module.css";

/** Every SLO judged per phase and target, with its observed value and verdict; targets summarised first. */
export function VerdictTable({ report, status }: { report: SloReport | null; status: string }) {
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
                  {(["pass", "warn", "fail", "no_data"] as const)
                    .filter((verdict) => target.counts[verdict])
                    .map((verdict) => `${target.counts[verdict]} ${verdict}`)
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
              {report.results.map((result) => (
                <tr key={`${result.phase}|${result.target}|${result.slo}`} data-verdict={result.verdict}>
                  <td>{result.phase}</td>
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
