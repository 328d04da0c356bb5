import { formatElapsed } from "@/lib/dashboard/run-page/charts";
import { isLive } from "@/lib/dashboard/run-page/model";
import type { PhaseBand, RunSeries } from "@/lib/dashboard/run-page/types";
import { formatPercent } from "@/lib/format";
import styles from "./run.module.css";

/** Elapsed of planned, the phase running now, and the worker's last-second figures per target. */
export function RunProgress({
  series,
  bands,
  connection,
}: {
  series: RunSeries;
  bands: PhaseBand[];
  connection: "idle" | "live" | "reconnecting" | "ended";
}) {
  const { progress, status } = series;
  const live = isLive(status);
  if (!live) return null;
  const elapsed = progress.elapsedSeconds ?? 0;
  const planned = progress.plannedSeconds;
  const phase = bands.find((band) => band.phase === progress.currentPhase);
  const text =
    status === "queued"
      ? "Queued: waiting for a worker"
      : `${formatElapsed(elapsed)} of ${formatElapsed(planned)}${phase ? `, phase ${phase.phase}` : ""}`;
  return (
    <section className={styles.progress} aria-label="Progress">
      <div className={styles.progressHead}>
        <strong>{status === "queued" ? "Queued" : "Running"}</strong>
        <span>{text}</span>
        {phase?.faulted ? <span className="badge badge-bad">fault phase</span> : null}
        <span className={styles.connection} role="status" aria-live="polite">
          {connection === "live"
            ? "● live"
            : connection === "reconnecting"
              ? "reconnecting…"
              : connection === "ended"
                ? "ended"
                : ""}
        </span>
      </div>
      <div
        className={styles.bar}
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={planned}
        aria-valuenow={Math.round(elapsed)}
        aria-valuetext={text}
      >
        {bands.map((band) => (
          <span
            key={band.phase}
            className={band.faulted ? styles.barFaulted : styles.barPhase}
            style={{
              left: `${(band.startSecond / planned) * 100}%`,
              width: `${((band.endSecond - band.startSecond) / planned) * 100}%`,
            }}
            title={band.phase}
          />
        ))}
        <span className={styles.barFill} style={{ width: `${Math.min(100, (elapsed / planned) * 100)}%` }} />
      </div>
      {progress.targets.length ? (
        <table className={`table ${styles.compact}`} aria-label="Last second per target">
          <thead>
            <tr>
              <th>Target</th>
              <th>Sent/s</th>
              <th>Success</th>
              <th>P99 (last second)</th>
              <th>In flight</th>
            </tr>
          </thead>
          <tbody>
            {progress.targets.map((target) => (
              <tr key={target.target}>
                <td>{target.target}</td>
                <td>{target.sentPerSecond === null ? "—" : target.sentPerSecond.toFixed(1)}</td>
                <td>{target.successRate === null ? "—" : formatPercent(target.successRate)}</td>
                <td>{target.p99Ms === null ? "—" : `${Math.round(target.p99Ms)} ms`}</td>
                <td>{target.inFlight ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
