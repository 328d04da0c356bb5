import type { AcrossRunsLine } from "@/lib/dashboard/compare-across";
import type { Forest } from "@/lib/dashboard/compare-verdicts";
import { VerdictLineItem } from "./candidate-verdict";
import styles from "./compare.module.css";
import { ForestTable } from "./paired-differences";

/**
 * Several runs: each later run's candidate against run 1's, as independent samples (other
 * arrivals, other moments), so the intervals are wider than the paired ones within a run.
 */
export function AcrossRuns({
  lines,
  forests,
}: {
  lines: AcrossRunsLine[];
  forests: { accuracy: Forest; p99: Forest };
}) {
  const reference = lines[0]?.reference;
  return (
    <section aria-label="Across runs" className={styles.section}>
      <h2 className="section-title">Across runs</h2>
      {lines.length === 0 || !reference ? (
        <p className="muted">The runs have no candidate to compare with run 1's.</p>
      ) : (
        <>
          <p className="muted small">
            Each run's candidate against {reference}. The runs saw different arrivals at different times, so
            these are independent-sample comparisons: Newcombe's interval and a two-proportion test on
            accuracy (same items only), each run resampled on its own for P99.
          </p>
          <ul className={styles.verdictLines} aria-label="Across-run verdicts">
            {lines.map((line) => (
              <VerdictLineItem
                key={line.runIndex}
                who={`${line.label} vs ${line.reference}:`}
                accuracy={line.accuracy}
                p99={line.p99}
                sentence={line.sentence}
                data={{ "data-run-index": line.runIndex }}
              />
            ))}
          </ul>
          <div className={styles.forests}>
            <ForestTable
              title="Accuracy differences across runs"
              caption={`Accuracy, run's candidate − ${reference}: percentage points, 95 % Newcombe interval, two-proportion p-value`}
              forest={forests.accuracy}
              unit="pp"
              rowHeader="Run"
            />
            <ForestTable
              title="P99 differences across runs"
              caption={`P99 latency, run's candidate − ${reference}: ms, 95 % bootstrap interval over each run's seconds (below 0 = faster)`}
              forest={forests.p99}
              unit="ms"
              rowHeader="Run"
            />
          </div>
        </>
      )}
    </section>
  );
}
