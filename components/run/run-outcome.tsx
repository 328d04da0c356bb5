import type { RunOutcome } from "@/lib/dashboard/run-page/types";
import styles from "./run.module.css";

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);

/**
 * Why the run has no verdict: every reason, whole-run ones first, then per phase. Shown for an
 * invalid verdict, and for any run with phases that could not be judged or halts.
 */
export function InvalidBanner({ outcome }: { outcome: RunOutcome }) {
  const invalid = outcome.verdict === "invalid";
  if (!invalid && outcome.invalidReasons.length === 0 && outcome.halts.length === 0) return null;
  return (
    <div className={styles.alert} role="alert" aria-label="Verdict invalid" data-verdict={outcome.verdict}>
      <strong>
        {invalid
          ? "No verdict: this run's data cannot support one."
          : "Parts of this run could not be judged."}
      </strong>{" "}
      {invalid
        ? "Only valid data can pass; the reasons:"
        : "The verdict covers the valid data only; the reasons:"}
      <ul aria-label="Why the verdict is invalid">
        {outcome.invalidReasons.map((reason) => (
          <li key={`${reason.code}|${reason.phase}|${reason.message}`} data-code={reason.code}>
            {reason.phase ? <strong>{reason.phase}: </strong> : null}
            {reason.message} <span className="muted small">({reason.code.replaceAll("_", " ")})</span>
          </li>
        ))}
        {outcome.halts.map((halt) => (
          <li key={`halt-${halt.second}-${halt.label}`} data-code="halt-marker">
            {halt.label} at {halt.second.toFixed(1)} s (marked on the charts)
          </li>
        ))}
        {outcome.latencyInvalid ? (
          <li data-code="latency-invalid">
            The load generator fell behind its schedule: the latency SLOs are invalid
            {outcome.invalidLatencySlos ? ` (${outcome.invalidLatencySlos} judged invalid)` : ""}.
          </li>
        ) : null}
      </ul>
    </div>
  );
}

/**
 * Accuracy two ways per target: end to end (a failed, overflowed or degraded request is wrong) and
 * over the answered requests, with the distinct items and the fallback answers beside them.
 */
export function AccuracySummary({ outcome }: { outcome: RunOutcome }) {
  if (outcome.accuracy.length === 0) return null;
  return (
    <section aria-label="Accuracy">
      <h2 className="section-title">
        Accuracy <span className="muted small">phases that count</span>
      </h2>
      <table className={`table ${styles.compact}`} aria-label="Accuracy per target">
        <thead>
          <tr>
            <th>Target</th>
            <th title="Correct over every scorable arrival: a failed, overflowed or degraded request is wrong">
              End to end
            </th>
            <th title="Correct over the requests the target answered itself">Answered</th>
            <th title="Distinct items (image + corruption) sent: the unit of a paired comparison">Items</th>
            <th>Requests</th>
            <th title="Answers a fallback model served instead of the requested one">Degraded</th>
          </tr>
        </thead>
        <tbody>
          {outcome.accuracy.map((row) => (
            <tr key={row.target} data-target={row.target}>
              <td>
                {row.target} <span className="muted small">{row.role}</span>
              </td>
              <td data-column="accuracy">{percent(row.accuracy)}</td>
              <td data-column="answeredAccuracy">{percent(row.answeredAccuracy)}</td>
              <td>{row.items ?? "—"}</td>
              <td>{row.requests}</td>
              <td className={row.degraded ? styles.nonzero : undefined}>
                {row.degraded}
                {row.degradedBy.length ? (
                  <span className="muted small">
                    {" "}
                    by {row.degradedBy.map((entry) => `${entry.model} ${entry.count}`).join(", ")}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
