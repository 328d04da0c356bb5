import Link from "next/link";
import type { Column } from "@/components/data-table";
import { StatusBadge, VerdictBadge } from "@/components/status-badge";
import type { RunRow } from "@/lib/dashboard/overview/load";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { REPORTED_RUN_STATUSES } from "@/lib/runner/run-status";

/** Finished runs with a report: the ones Compare can open. */
const FINISHED: ReadonlySet<string> = new Set(REPORTED_RUN_STATUSES);

/** How runs are listed (overview, compare): each links to its page, finished ones to Compare too. */
export const RUN_COLUMNS: Column<RunRow>[] = [
  {
    header: "Run",
    cell: (run) => (
      <Link prefetch={false} href={`/runs/${run.id}`} aria-label={`Run ${run.id} of ${run.experiment}`}>
        <code>{run.id.slice(0, 8)}</code>
      </Link>
    ),
  },
  { header: "Experiment", cell: (run) => run.experiment },
  { header: "Status", cell: (run) => <StatusBadge status={run.status} /> },
  {
    header: "Verdict",
    cell: (run) => (
      <>
        <VerdictBadge verdict={run.verdict} />
        {run.latencyInvalid ? (
          <>
            {" "}
            <span
              className="badge badge-warn"
              title="The load generator fell behind: latency figures are not trustworthy"
            >
              latency invalid
            </span>
          </>
        ) : null}
      </>
    ),
  },
  { header: "Trigger", cell: (run) => run.trigger },
  { header: "Queued", cell: (run) => formatTimestamp(run.createdAt) },
  { header: "Duration", cell: (run) => formatDuration(run.startedAt, run.endedAt) },
  {
    header: "Open",
    cell: (run) => (
      <>
        <Link prefetch={false} href={`/runs/${run.id}`}>
          Details
        </Link>
        {FINISHED.has(run.status) ? (
          <>
            {" · "}
            <Link prefetch={false} href={`/compare?run=${encodeURIComponent(run.id)}`}>
              Compare
            </Link>
          </>
        ) : null}
      </>
    ),
  },
];
