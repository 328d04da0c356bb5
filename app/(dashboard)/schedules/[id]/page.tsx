import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RoleGate } from "@/components/auth/role-gate";
import { PageHeader } from "@/components/page-header";
import { FiringsTable } from "@/components/schedules/firings-table";
import { DeleteScheduleButton, ScheduleToggle } from "@/components/schedules/schedule-actions";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import styles from "@/components/schedules/schedules.module.css";
import { loadScheduleHistory } from "@/lib/dashboard/schedules";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Schedule history" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ScheduleHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  const { cursor } = await searchParams;
  const page = await loadScheduleHistory(id, typeof cursor === "string" ? cursor : null);
  if (!page) notFound();
  const { schedule, firings, nextCursor } = page;
  return (
    <>
      <PageHeader title={`Schedule of ${schedule.experimentName}`}>
        {schedule.description ? `${schedule.description}.` : `Cron ${schedule.cron} in ${schedule.timezone}.`}{" "}
        Every firing: when it was due, when a worker handled it, and what it did.
      </PageHeader>
      <div className={styles.toolbar}>
        <RoleGate need="admin" what="Changing a schedule" fallback={null}>
          <ScheduleToggle id={schedule.id} enabled={schedule.enabled} label={schedule.experimentName} />
          <DeleteScheduleButton id={schedule.id} label={schedule.experimentName} afterDelete="/schedules" />
        </RoleGate>
        <Link prefetch={false} href="/schedules">
          All schedules
        </Link>
      </div>
      <dl className={styles.details}>
        <dt>Experiment</dt>
        <dd>
          <Link prefetch={false} href={`/experiments/${schedule.experimentId}`}>
            {schedule.experimentName}
          </Link>
        </dd>
        <dt>Cron</dt>
        <dd>
          <code>{schedule.cron}</code> in {schedule.timezone}
        </dd>
        <dt>Overlap</dt>
        <dd>
          {schedule.overlapPolicy === "skip"
            ? "skip a firing while a run of the experiment is queued or running"
            : "queue a run on every firing"}
        </dd>
        <dt>Next run</dt>
        <dd>{schedule.enabled ? formatTimestamp(schedule.nextRunAt) : "— (disabled)"}</dd>
        <dt>Last run</dt>
        <dd>{formatTimestamp(schedule.lastRunAt)}</dd>
        <dt>Webhook</dt>
        <dd>
          {schedule.webhookUrl ? (
            <>
              <code>{schedule.webhookUrl}</code> ({schedule.webhookFormat})
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </dl>
      <section className="panel" aria-label="Edit schedule">
        <h2 className="section-title">Edit schedule</h2>
        <RoleGate need="admin" what="Editing a schedule">
          <ScheduleForm
            key={schedule.id}
            schedule={{
              id: schedule.id,
              cron: schedule.cron,
              timezone: schedule.timezone,
              overlapPolicy: schedule.overlapPolicy,
              webhookUrl: schedule.webhookUrl,
              webhookFormat: schedule.webhookFormat,
            }}
          />
        </RoleGate>
      </section>
      <h2 className="section-title">Firings</h2>
      <FiringsTable firings={firings} />
      <p className={styles.pager}>
        {typeof cursor === "string" ? (
          <Link prefetch={false} href={`/schedules/${schedule.id}`}>
            Newest
          </Link>
        ) : null}{" "}
        {nextCursor ? (
          <Link prefetch={false} href={`/schedules/${schedule.id}?cursor=${encodeURIComponent(nextCursor)}`}>
            Older firings
          </Link>
        ) : null}
      </p>
    </>
  );
}
