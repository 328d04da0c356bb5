import type { Metadata } from "next";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { listSchedules, type ScheduleRow } from "@/lib/dashboard/registry";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Schedules" };

const COLUMNS: Column<ScheduleRow>[] = [
  { header: "Experiment", cell: (schedule) => schedule.experiment },
  { header: "Cron", cell: (schedule) => <code>{schedule.cron}</code> },
  { header: "Time zone", cell: (schedule) => schedule.timezone },
  { header: "Enabled", cell: (schedule) => (schedule.enabled ? "yes" : "no") },
  { header: "Overlap", cell: (schedule) => schedule.overlapPolicy },
  { header: "Next run", cell: (schedule) => formatTimestamp(schedule.nextRunAt) },
  { header: "Last run", cell: (schedule) => formatTimestamp(schedule.lastRunAt) },
];

export default async function SchedulesPage() {
  return (
    <>
      <PageHeader title="Schedules">
        Drills that run unattended, on a cron expression in a time zone.
      </PageHeader>
      <DataTable
        rows={await listSchedules()}
        columns={COLUMNS}
        rowKey={(schedule) => schedule.id}
        empty={
          <EmptyState title="No schedules">
            <p>
              A schedule runs an experiment on a cron expression (for example <code>0 3 * * 1</code>, Mondays
              at 03:00) and either skips or queues a firing while the previous run is still going.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}
