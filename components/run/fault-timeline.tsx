import type { FaultEventView, RunActiveFault } from "@/lib/dashboard/run-page/types";
import { formatTimestamp } from "@/lib/format";
import styles from "./run.module.css";

const EVENT_TONES: Record<string, string> = {
  started: "bad",
  ended: "good",
  "expired (lease lapsed)": "warn",
  "halted (kill switch)": "warn",
  "run halted": "warn",
};

/** The run's fault events as they happened (started, ended, expired…), and what is active now. */
export function FaultTimeline({
  events,
  active,
  live,
}: {
  events: FaultEventView[];
  active: RunActiveFault[];
  live: boolean;
}) {
  return (
    <section aria-label="Fault events">
      <h2 className="section-title">
        Fault events{" "}
        <span className="muted small">
          {active.length ? `${active.length} active now` : live ? "none active now" : ""}
        </span>
      </h2>
      {events.length === 0 ? (
        <p className="muted">
          {live
            ? "No fault has started yet: faults start at their phase's boundary."
            : "No fault of this run started."}
        </p>
      ) : (
        <table className={`table ${styles.compact}`} aria-label="Fault events timeline">
          <thead>
            <tr>
              <th title="Seconds since the load started (estimated from the worker's heartbeat)">t (≈)</th>
              <th>At</th>
              <th>Event</th>
              <th>Fault</th>
              <th>Details</th>
              <th>Fault id</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={`${event.at}-${event.faultId}-${event.event}`} data-event={event.event}>
                <td>{event.offsetSeconds === null ? "—" : `${event.offsetSeconds.toFixed(1)} s`}</td>
                <td>{formatTimestamp(event.at)}</td>
                <td>
                  <span className={`badge badge-${EVENT_TONES[event.event] ?? "muted"}`}>{event.event}</span>
                </td>
                <td>
                  <code>{event.type ?? "—"}</code>
                </td>
                <td className="small">{event.detail}</td>
                <td className="muted small">{event.faultId ? event.faultId.slice(0, 8) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
