import type { Metadata } from "next";
import Link from "next/link";
import { RoleGate } from "@/components/auth/role-gate";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { firingDelay, OutcomeBadge, ReasonText } from "@/components/schedules/firings-table";
import { DeleteScheduleButton, ScheduleToggle } from "@/components/schedules/schedule-actions";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import styles from "@/components/schedules/schedules.module.css";
import { loadSchedulesPage, type ScheduleView } from "@/lib/dashboard/schedules";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Schedules" };

const COLUMNS: Column<ScheduleView>[] = [
  {
    header: "Experiment",
    cell: (schedule) => (
      <Link prefetch={false} href={`/experiments/${schedule.experimentId}`}>
        {schedule.experimentName}
      </Link>
    ),
  },
  {
    header: "When",
    cell: (schedule) => (
      <span className={styles.cron}>
        <code>{schedule.cron}</code>
        <span className="muted small">{schedule.description ?? schedule.timezone}</span>
      </span>
    ),
  },
  {
    header: "Enabled",
    cell: (schedule) => (
      <RoleGate need="admin" what="Enabling a schedule" fallback={schedule.enabled ? "yes" : "no"}>
        <ScheduleToggle id={schedule.id} enabled={schedule.enabled} label={schedule.experimentName} />
      </RoleGate>
    ),
  },
  { header: "Overlap", cell: (schedule) => schedule.overlapPolicy },
  {
    header: "Next run",
    cell: (schedule) => (
      <span className={styles.time}>{schedule.enabled ? formatTimestamp(schedule.nextRunAt) : "—"}</span>
    ),
  },
  {
    header: "Last run",
    cell: (schedule) => <span className={styles.time}>{formatTimestamp(schedule.lastRunAt)}</span>,
  },
  {
    header: "Last outcome",
    cell: (schedule) =>
      schedule.lastFiring ? (
        <span className={styles.outcome} title={schedule.lastFiring.reason ?? undefined}>
          <OutcomeBadge outcome={schedule.lastFiring.outcome} />
          {schedule.lastFiring.runId ? (
            <Link prefetch={false} href={`/runs/${schedule.lastFiring.runId}`}>
              run {schedule.lastFiring.runId.slice(0, 8)}
            </Link>
          ) : (
            <ReasonText reason={schedule.lastFiring.reason} />
          )}
          <span className="muted small">{firingDelay(schedule.lastFiring)}</span>
        </span>
      ) : (
        <span className="muted">never fired</span>
      ),
  },
  {
    header: "Actions",
    cell: (schedule) => (
      <span className={styles.rowActions}>
        <Link
          prefetch={false}
          href={`/schedules/${schedule.id}`}
          aria-label={`History of ${schedule.experimentName}'s schedule`}
        >
          History
        </Link>
        <RoleGate need="admin" what="Deleting a schedule" fallback={null}>
          <DeleteScheduleButton id={schedule.id} label={schedule.experimentName} />
        </RoleGate>
      </span>
    ),
  },
];

export default async function SchedulesPage() {
  const { schedules, experiments } = await loadSchedulesPage();
  return (
    <>
      <PageHeader title="Schedules">
        Drills that run unattended, on a cron expression in a time zone. pg-boss fires them in PostgreSQL; a
        worker queues the run, or skips the firing while the previous run of the experiment is still going.
      </PageHeader>
      <DataTable
        rows={schedules}
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
      <section className="panel" aria-label="New schedule">
        <h2 className="section-title">New schedule</h2>
        {experiments.length > 0 ? (
          <RoleGate need="admin" what="Creating a schedule">
            <ScheduleForm experiments={experiments} />
          </RoleGate>
        ) : (
          <p className="muted">
            Save an experiment first (<Link href="/experiments">Experiments</Link>): a schedule runs one.
          </p>
        )}
      </section>
    </>
  );
}
