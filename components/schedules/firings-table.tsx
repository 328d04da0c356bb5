import Link from "next/link";
import type { ReactNode } from "react";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { StatusBadge } from "@/components/status-badge";
import type { FiringView } from "@/lib/dashboard/schedules";
import { formatTimestamp } from "@/lib/format";
import styles from "./schedules.module.css";

const OUTCOME_TONES: Record<FiringView["outcome"], string> = {
  queued: "good",
  skipped: "warn",
  failed: "bad",
};

export function OutcomeBadge({ outcome }: { outcome: FiringView["outcome"] }) {
  return <span className={`badge badge-${OUTCOME_TONES[outcome]}`}>{outcome}</span>;
}

/** "+1.8 s": how long after its due time a firing was handled. */
export function firingDelay(firing: Pick<FiringView, "dueAt" | "firedAt">): string {
  const seconds = (Date.parse(firing.firedAt) - Date.parse(firing.dueAt)) / 1000;
  return `${seconds >= 0 ? "+" : "−"}${Math.abs(seconds).toFixed(1)} s`;
}

/** A reason with the run ids in it linked to their pages ("Run 1b2c… is still running"). */
export function ReasonText({ reason }: { reason: string | null }) {
  if (!reason) return <span className="muted">—</span>;
  const parts: ReactNode[] = [];
  const pattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
  let last = 0;
  for (const match of reason.matchAll(pattern)) {
    parts.push(reason.slice(last, match.index));
    parts.push(
      <Link key={match.index} prefetch={false} href={`/runs/${match[0]}`}>
        {match[0].slice(0, 8)}
      </Link>,
    );
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(reason.slice(last));
  return <span>{parts}</span>;
}

const COLUMNS: Column<FiringView>[] = [
  { header: "Due", cell: (firing) => formatTimestamp(firing.dueAt) },
  {
    header: "Fired",
    cell: (firing) => (
      <span title={formatTimestamp(firing.firedAt)}>
        {firing.firedAt.slice(11, 19)} <span className="muted small">({firingDelay(firing)})</span>
      </span>
    ),
  },
  { header: "Outcome", cell: (firing) => <OutcomeBadge outcome={firing.outcome} /> },
  {
    header: "Run",
    cell: (firing) =>
      firing.runId ? (
        <span className={styles.outcome}>
          <Link prefetch={false} href={`/runs/${firing.runId}`}>
            {firing.runId.slice(0, 8)}
          </Link>
          {firing.runStatus ? (
            <StatusBadge status={firing.runStatus} />
          ) : (
            <span className="muted">deleted</span>
          )}
        </span>
      ) : (
        <span className="muted">—</span>
      ),
  },
  { header: "Reason", cell: (firing) => <ReasonText reason={firing.reason} /> },
];

export function FiringsTable({ firings }: { firings: FiringView[] }) {
  return (
    <DataTable
      rows={firings}
      columns={COLUMNS}
      rowKey={(firing) => firing.id}
      empty={
        <EmptyState title="No firings yet">
          <p>
            Each time the cron comes due, a worker records a firing here: the run it queued, or why it
            skipped.
          </p>
        </EmptyState>
      }
    />
  );
}
