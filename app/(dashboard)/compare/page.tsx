import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { RUN_COLUMNS } from "@/components/run-columns";
import { listRuns } from "@/lib/dashboard/overview";

export const metadata: Metadata = { title: "Compare" };

export default async function ComparePage() {
  return (
    <>
      <PageHeader title="Compare">
        Candidate against baselines on the same seeded requests and faults: accuracy, success rate and tail
        latency.
      </PageHeader>
      <DataTable
        rows={await listRuns(50, { finishedOnly: true })}
        columns={RUN_COLUMNS}
        rowKey={(run) => run.id}
        empty={
          <EmptyState title="Nothing to compare yet">
            <p>
              A comparison reads a finished run whose experiment targets several model versions. Every target
              of a run receives the same items on the same arrival schedule, so their differences are the
              models&apos;, not luck.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}
