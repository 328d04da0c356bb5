import Link from "next/link";
import { RoleGate } from "@/components/auth/role-gate";
import { StatusBadge } from "@/components/status-badge";
import { formatElapsed } from "@/lib/dashboard/run-page/charts";
import { isLive } from "@/lib/dashboard/run-page/model";
import type { RunHeader as RunHeaderData, RunReportFigures } from "@/lib/dashboard/run-page/types";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { AbortButton } from "./abort-button";
import { RerunButton } from "./rerun-button";
import styles from "./run.module.css";

/**
 * Which experiment, how it went, when, and where its reports are. Abort while the run is live;
 * Rerun once it has ended (`rerunDenied`: why this viewer may not, or null).
 */
export function RunHeader({
  header,
  report,
  rerunDenied,
}: {
  header: RunHeaderData;
  report: RunReportFigures | null;
  rerunDenied: string | null;
}) {
  const live = isLive(header.status);
  const finished = header.endedAt !== null;
  return (
    <section className={styles.header} aria-label="Run">
      <div className={styles.titleRow}>
        <h1>
          {header.experiment} <span className={styles.version}>v{header.version}</span>
        </h1>
        <span role="status" aria-label="Run status" data-status={header.status}>
          <StatusBadge status={header.status} />
        </span>
        {live ? (
          <RoleGate need="operator" what="Aborting" fallback={null}>
            <AbortButton
              runId={header.id}
              status={header.status}
              abortRequested={header.abortRequestedAt !== null}
            />
          </RoleGate>
        ) : (
          <RerunButton runId={header.id} denied={rerunDenied} />
        )}
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Run</dt>
          <dd>
            <code>{header.id}</code>
          </dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>{header.trigger}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            {header.startedAt
              ? formatTimestamp(header.startedAt)
              : `queued ${formatTimestamp(header.createdAt)}`}
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatTimestamp(header.endedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            {finished ? formatDuration(header.startedAt ?? header.createdAt, header.endedAt) : "—"}{" "}
            <span className="muted small">of {formatElapsed(header.plannedSeconds)} planned</span>
          </dd>
        </div>
        <div>
          <dt>Seed</dt>
          <dd>
            <code>{header.seed}</code>
          </dd>
        </div>
      </dl>
      {header.error || report?.stopReason ? (
        <p className={styles.reason}>
          <strong>{header.status === "errored" ? "Error" : "Ended because"}:</strong>{" "}
          {header.error ?? report?.stopReason}
        </p>
      ) : null}
      <nav className={styles.links} aria-label="Run links">
        {report ? (
          <>
            <a href={`/api/v1/runs/${header.id}/report`}>JSON report</a>
            <a href={`/api/v1/runs/${header.id}/report?format=junit`}>JUnit report</a>
          </>
        ) : (
          <span className="muted">
            {live ? "Reports once the run ends" : "No report: the run ended before it was judged"}
          </span>
        )}
        <Link prefetch={false} href={`/compare?run=${header.id}`}>
          Compare this run
        </Link>
        <Link prefetch={false} href={`/experiments/${header.experimentId}`}>
          Experiment
        </Link>
      </nav>
    </section>
  );
}
