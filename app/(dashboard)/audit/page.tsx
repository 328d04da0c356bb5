import type { Metadata } from "next";
import Link from "next/link";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { type AuditRow, listAuditEvents } from "@/lib/dashboard/registry";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Audit" };

const COLUMNS: Column<AuditRow>[] = [
  { header: "When", cell: (event) => formatTimestamp(event.at) },
  { header: "Actor", cell: (event) => event.actor },
  { header: "Action", cell: (event) => event.action },
  { header: "Target", cell: (event) => event.target ?? "—" },
  {
    header: "Run",
    cell: (event) =>
      event.runId ? (
        <Link prefetch={false} href={`/runs/${event.runId}`}>
          <code>{event.runId.slice(0, 8)}</code>
        </Link>
      ) : (
        "—"
      ),
  },
];

export default async function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log">
        Who launched, aborted, faulted, halted or changed what, and when: newest first.
      </PageHeader>
      <DataTable
        rows={await listAuditEvents()}
        columns={COLUMNS}
        rowKey={(event) => event.id}
        empty={
          <EmptyState title="No audited actions yet">
            <p>
              Every experiment save, run launch, rerun and abort, fault start and stop, halt and re-arm,
              schedule and token change and sign-in is recorded here with its actor, target and run.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}
