import { LAG_THRESHOLD_MS } from "@/lib/dashboard/run-page/model";
import type { RunFlags } from "@/lib/dashboard/run-page/types";
import styles from "./run.module.css";

/** A lagging generator or an invalid latency measurement, said loudly above the charts. */
export function RunFlagsBanner({ flags }: { flags: RunFlags }) {
  if (!flags.latencyInvalid && !flags.lagging) return null;
  const lag = flags.maxSendLagMs === null ? null : `${Math.round(flags.maxSendLagMs)} ms`;
  return (
    <div
      className={styles.alert}
      role="alert"
      aria-label="Latency warning"
      data-latency-invalid={flags.latencyInvalid}
      data-lagging={flags.lagging}
    >
      <strong>
        {flags.latencyInvalid ? "Latency figures are not trustworthy." : "The load generator lagged."}
      </strong>{" "}
      {flags.latencyInvalid
        ? "The load generator fell behind its schedule, so requests left later than intended"
        : "Some requests left later than intended"}
      {lag ? ` (worst send lag ${lag}; the generator's threshold is ${LAG_THRESHOLD_MS} ms)` : ""}.
      {flags.latencyInvalid ? " Its latency SLOs are therefore invalid: judged neither pass nor fail." : ""}{" "}
      The corrected clock still counts from the intended send times, but the machine running the drill was the
      bottleneck: read latencies as a lower bound, or rerun with a lower rate or on a less busy machine.
    </div>
  );
}
