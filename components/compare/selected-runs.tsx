import Link from "next/link";
import { StatusBadge, VerdictBadge } from "@/components/status-badge";
import type { ComparedRun } from "@/lib/dashboard/compare/load";
import { type CompareParams, compareHref } from "@/lib/dashboard/compare/params";
import { formatTimestamp } from "@/lib/format";
import styles from "./compare.module.css";

/** The runs compared, numbered as the table and charts refer to them, with their caveats. */
export function SelectedRuns({ runs, params }: { runs: ComparedRun[]; params: CompareParams }) {
  return (
    <section aria-label="Runs compared">
      <ul className={styles.runs}>
        {runs.map((run) => (
          <li key={run.id} data-run-id={run.id}>
            <span className={styles.runIndex}>#{run.index}</span>
            <Link prefetch={false} href={`/runs/${run.id}`}>
              {run.experiment} <span className="muted">v{run.version}</span>
            </Link>
            <StatusBadge status={run.status} />
            <span title={run.invalidReasons.length ? run.invalidReasons.join(" ") : undefined}>
              <VerdictBadge verdict={run.verdict} />
            </span>
            <span className="muted small">
              {formatTimestamp(run.createdAt)} · spec {run.specSha256.slice(0, 8)} · {run.targets} targets ·
              dataset {run.dataset}
              {run.stopReason ? ` · stopped: ${run.stopReason}` : ""}
              {run.verdict === "invalid" && run.invalidReasons.length
                ? ` · invalid: ${run.invalidReasons.join("; ")}`
                : ""}
            </span>
            {run.latencyInvalid ? (
              <span
                className="badge badge-warn"
                title={`The load generator fell behind its schedule (worst lag ${run.maxSendLagMs.toFixed(0)} ms): latency figures are not trustworthy.`}
              >
                latency suspect
              </span>
            ) : null}
            {runs.length > 1 ? (
              <Link
                prefetch={false}
                className="small"
                href={compareHref(params, { runIds: params.runIds.filter((id) => id !== run.id) })}
                aria-label={`Remove run #${run.index} from the comparison`}
              >
                remove
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
