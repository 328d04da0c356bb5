import type { Metadata } from "next";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { listModels, type ModelRow } from "@/lib/dashboard/registry";
import { formatBytes } from "@/lib/format";

export const metadata: Metadata = { title: "Models" };

const COLUMNS: Column<ModelRow>[] = [
  { header: "Name", cell: (model) => model.name },
  { header: "Family", cell: (model) => model.family },
  { header: "Version", cell: (model) => model.version },
  { header: "Task", cell: (model) => model.task },
  { header: "Role", cell: (model) => model.role },
  { header: "Engine", cell: (model) => model.engine },
  { header: "Size", cell: (model) => formatBytes(model.sizeBytes) },
  {
    header: "sha256",
    cell: (model) => <code title={model.sha256 ?? undefined}>{model.sha256?.slice(0, 12) ?? "—"}</code>,
  },
];

export default async function ModelsPage() {
  return (
    <>
      <PageHeader title="Models">
        The candidate and the baseline versions it must beat, with their artifacts.
      </PageHeader>
      <DataTable
        rows={await listModels()}
        columns={COLUMNS}
        rowKey={(model) => model.name}
        empty={
          <EmptyState title="No model versions registered">
            <p>
              Each model version is described by a manifest in <code>models/&lt;name&gt;/manifest.json</code>{" "}
              (engine, task, artifact, pre- and post-processing). Run <code>npm run db:seed</code> to register
              the manifests; <code>npm start</code> does it on every start.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}
