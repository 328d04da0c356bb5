import { VerdictBadge } from "@/components/status-badge";
import type { DifferenceEstimate, RunVerdicts } from "@/lib/dashboard/compare/verdicts";
import styles from "./compare.module.css";
import { ComparisonBadge } from "./verdict-badge";

/**
 * The candidate's verdict, first thing on the page: its SLO verdict and one line per baseline
 * from the paired comparisons (accuracy: paired on distinct items; P99: paired block bootstrap).
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
                <VerdictLineItem
                  key={line.baselineKey}
                  who={`${run.candidate} vs ${line.baseline}:`}
                  accuracy={line.accuracy}
                  p99={line.p99}
                  sentence={line.sentence}
                  data={{ "data-baseline": line.baseline }}
                />
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      <p className={styles.note}>
        Differences are candidate − baseline on the same seeded items and arrival schedule, with 95 %
        intervals: accuracy end to end in percentage points, paired on distinct items (an item&apos;s repeats
        are one observation; n counts items), P99 in ms (paired block bootstrap over per-second windows; lower
        is better). <em>Inconclusive</em> means the data cannot resolve the difference: the leaderboard calls
        it a tie. <em>No verdict</em> means there was nothing to compare (the reason is given).
      </p>
    </section>
  );
}

/** One "who vs whom: accuracy … → badge; P99 … → badge" line (details on hover). */
export function VerdictLineItem({
  who,
  accuracy,
  p99,
  sentence,
  data,
}: {
  who: string;
  accuracy: DifferenceEstimate;
  p99: DifferenceEstimate;
  sentence: string;
  /** Extra data-* attributes that name the line for tests and styling. */
  data: Record<`data-${string}`, string | number>;
}) {
  return (
    <li
      {...data}
      data-accuracy-verdict={accuracy.verdict}
      data-p99-verdict={p99.verdict}
      data-sentence={sentence}
    >
      <span className={styles.vs}>{who}</span>{" "}
      <span title={accuracy.detail ?? undefined}>{withoutVerdict(accuracy.text)}</span>
      {" → "}
      <ComparisonBadge verdict={accuracy.verdict} unavailable={accuracy.status === "unavailable"} />
      {"; "}
      <span title={p99.detail ?? undefined}>{withoutVerdict(p99.text)}</span>
      {" → "}
      <ComparisonBadge verdict={p99.verdict} unavailable={p99.status === "unavailable"} />
    </li>
  );
}

/** The sentence up to its "→ verdict" (or ": no verdict"), which the badge beside it shows. */
function withoutVerdict(text: string): string {
  return text.replace(/ → (better|worse|inconclusive)$/, "").replace(/: no verdict (\(.*\))$/, " $1");
}
