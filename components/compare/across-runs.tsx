import type { AcrossRunsLine } from "@/lib/dashboard/compare/across";
import type { Forest } from "@/lib/dashboard/compare/verdicts";
import { VerdictLineItem } from "./candidate-verdict";
import styles from "./compare.module.css";
import { ForestTable } from "./paired-differences";

/**
 * Several runs: each later run's candidate against run 1's. Accuracy is paired on the distinct
 * items both runs sent; P99 compares independent samples (other arrivals, other moments), so its
 * intervals are wider than the paired ones within a run. A run of another experiment or spec
 * version gets no verdict, only why.
 */
export function AcrossRuns({
  lines,
  forests,
}: {
  lines: AcrossRunsLine[];
  forests: { accuracy: Forest; p99: Forest };
}) {
  const reference = lines[0]?.reference;
  const compared = lines.filter((line) => line.withheld === null);
  const withheld = lines.filter((line) => line.withheld !== null);
  return (
    <section aria-label="Across runs" className={styles.section}>
      <h2 className="section-title">Across runs</h2>
      {lines.length === 0 || !reference ? (
        <p className="muted">The runs have no candidate to compare with run 1's.</p>
      ) : (
        <>
          {withheld.length > 0 ? (
            <ul className={styles.verdictLines} aria-label="Runs not compared">
              {withheld.map((line) => (
                <li key={line.runIndex} data-run-index={line.runIndex} data-withheld="true">
                  <span className={styles.vs}>
                    {line.label} vs {line.reference}:
                  </span>{" "}
                  no verdict — {line.withheld}; a paired verdict needs runs of the same experiment and spec
                  version.
                </li>
              ))}
            </ul>
          ) : null}
          {compared.length > 0 ? (
            <>
              <p className="muted small">
                Each run&apos;s candidate against {reference}. Accuracy is paired on the distinct items both
                runs sent (an item&apos;s repeats are one observation; n counts items); a run recorded without
                per-item tallies has no per-item record and gets no accuracy verdict. P99 compares independent
                samples (other arrivals, other moments): each run resampled on its own.
              </p>
              <ul className={styles.verdictLines} aria-label="Across-run verdicts">
                {compared.map((line) =>
                  line.accuracy && line.p99 ? (
                    <VerdictLineItem
                      key={line.runIndex}
                      who={`${line.label} vs ${line.reference}:`}
                      accuracy={line.accuracy}
                      p99={line.p99}
                      sentence={line.sentence}
                      data={{ "data-run-index": line.runIndex }}
                    />
                  ) : null,
                )}
              </ul>
              <div className={styles.forests}>
                <ForestTable
                  title="Accuracy differences across runs"
                  caption={`Accuracy end to end, run's candidate − ${reference}: percentage points, 95 % interval and p-value paired on distinct items`}
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
          ) : null}
        </>
      )}
    </section>
  );
}
