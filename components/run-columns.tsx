import type { Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import type { RunRow } from "@/lib/dashboard/overview";
import { formatDuration, formatTimestamp } from "@/lib/format";

/** How runs are listed (overview, compare). */
export const RUN_COLUMNS: Column<RunRow>[] = [
  { header: "Experiment", cell: (run) => run.experiment },
  { header: "Status", cell: (run) => <StatusBadge status={run.status} /> },
  { header: "Trigger", cell: (run) => run.trigger },
  { header: "Queued", cell: (run) => formatTimestamp(run.createdAt) },
  { header: "Duration", cell: (run) => formatDuration(run.startedAt, run.endedAt) },
];
