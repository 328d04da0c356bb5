import { VerdictBadge } from "@/components/status-badge";
import type { RunVerdicts } from "@/lib/dashboard/compare-verdicts";
import styles from "./compare.module.css";
import { ComparisonBadge } from "./verdict-badge";

/**
 * The candidate's verdict, first thing on the page: its SLO verdict and one line per baseline
 * from the paired comparisons (accuracy: McNemar + Tango interval; P99: paired block bootstrap).
 */
export function CandidateVerdict({ verdicts, several }: { verdicts: RunVerdicts[]; several: boolean }) {
  return (
    <section aria-label="Candidate verdict" className={styles.section}>
      <h2 className="section-title">Candidate verdict</h2>
      {verdicts.map((run) => (
        <div key={run.runId} className={styles.verdictPanel} data-run-index={run.runIndex}>
          <h3>
            {several ? `#${run.runIndex} · ` : ""}Candidate {run.candidate}{" "}
            <VerdictBadge verdict={run.sloVerdict} />
          </h3>
          <p className={styles.summary} data-testid="verdict-summary">
            {run.summary}
          </p>
          {run.lines.length > 0 ? (
            <ul className={styles.verdictLines} aria-label={`${run.candidate} against each baseline`}>
              {run.lines.map((line) => (
                <li
                  key={line.baselineKey}
                  data-baseline={line.baseline}
                  data-accuracy-verdict={line.accuracy.verdict}
                  data-p99-verdict={line.p99.verdict}
                  data-sentence={line.sentence}
                >
                  <span className={styles.vs}>
                    {run.candidate} vs {line.baseline}:
                  </span>{" "}
                  <span title={line.accuracy.detail ?? undefined}>{withoutVerdict(line.accuracy.text)}</span>
                  {" → "}
                  <ComparisonBadge verdict={line.accuracy.verdict} />
                  {"; "}
                  <span title={line.p99.detail ?? undefined}>{withoutVerdict(line.p99.text)}</span>
                  {" → "}
                  <ComparisonBadge verdict={line.p99.verdict} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      <p className={styles.note}>
        Differences are candidate − baseline on the same seeded items and arrival schedule, with 95 %
        intervals: accuracy in percentage points (McNemar&apos;s test, Tango&apos;s score interval), P99 in ms
        (paired block bootstrap over per-second windows; lower is better). <em>Inconclusive</em> means the
        interval holds 0.
      </p>
    </section>
  );
}

/** The sentence up to its "→ verdict", which the badge beside it shows. */
function withoutVerdict(text: string): string {
  return text.replace(/ → (better|worse|inconclusive)$/, "").replace(/ → inconclusive (\(.*\))$/, " $1");
}
