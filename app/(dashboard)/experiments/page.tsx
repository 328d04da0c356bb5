import type { Metadata } from "next";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { type ExperimentRow, listExperiments } from "@/lib/dashboard/registry";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Experiments" };

const COLUMNS: Column<ExperimentRow>[] = [
  { header: "Name", cell: (experiment) => experiment.name },
  { header: "Description", cell: (experiment) => experiment.description },
  { header: "Version", cell: (experiment) => `v${experiment.currentVersion}` },
  { header: "Runs", cell: (experiment) => experiment.runs },
  { header: "Updated", cell: (experiment) => formatTimestamp(experiment.updatedAt) },
];

export default async function ExperimentsPage() {
  return (
    <>
      <PageHeader title="Experiments">
        Versioned drill specs: targets, dataset, load, phases with their faults, SLO hypothesis and stop
        conditions.
      </PageHeader>
      <DataTable
        rows={await listExperiments()}
        columns={COLUMNS}
        rowKey={(experiment) => experiment.name}
        empty={
          <EmptyState title="No experiments defined">
            <p>
              An experiment names the candidate and its baselines, the load to send, the faults of each phase
              and the SLOs that decide pass or fail. Every edit is kept as a new version, so each run says
              which spec it ran.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}
