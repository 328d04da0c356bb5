import type { Metadata } from "next";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ModelPlayground } from "@/components/model-playground";
import { PageHeader } from "@/components/page-header";
import { prepareRobustnessTables } from "@/lib/dashboard/robustness";
import { formatBytes, formatPercent } from "@/lib/format";
import { type CatalogEntry, listCatalog, listRobustness } from "@/lib/models/catalog";

export const metadata: Metadata = { title: "Models" };

const COLUMNS: Column<CatalogEntry>[] = [
  {
    header: "Model",
    cell: (model) => (
      <>
        <strong>{model.name}</strong>
        <ModelDescription text={model.description} />
      </>
    ),
  },
  { header: "Task", cell: (model) => model.task },
  { header: "Role", cell: (model) => model.role },
  { header: "Engine", cell: (model) => model.engine },
  { header: "Size", cell: (model) => formatBytes(model.sizeBytes) },
  {
    header: "Clean accuracy",
    cell: (model) =>
      model.accuracy.length === 0
        ? "not evaluated"
        : model.accuracy.map((a) => (
            <div key={a.dataset}>
              {a.dataset}: {formatPercent(a.accuracy)} exact, CER {formatPercent(a.cer, 2)}
            </div>
          )),
  },
  {
    header: "Serving",
    cell: (model) =>
      !model.serving
        ? "not loaded"
        : model.serving.state === "failed"
          ? `failed: ${model.serving.error}`
          : `breaker ${model.serving.breaker}, ${model.serving.counters.requests} requests`,
  },
];

export default async function ModelsPage() {
  const [models, robustness] = await Promise.all([listCatalog(), listRobustness()]);
  const tables = prepareRobustnessTables(robustness);
  const servable = models.filter((model) => model.serving?.state === "loaded");
  return (
    <>
      <PageHeader title="Models">
        The candidate and the baseline versions it must beat: what they are, how accurate they measured (
        <code>npm run eval</code>) and how they are serving now.
      </PageHeader>
      <DataTable
        rows={models}
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
      <section aria-label="Accuracy by corruption">
        <h2 className="section-title">Accuracy by corruption</h2>
        {tables.length === 0 ? (
          <EmptyState title="No robustness figures yet">
            <p>
              <code>npm run eval -- --corruptions all</code> scores every model on the dataset under each
              corruption at severities 1–5; the latest figures appear here, per corruption, beside the clean
              accuracy (severity 0).
            </p>
          </EmptyState>
        ) : (
          tables.map((table) => (
            <table
              key={`${table.dataset}|${table.corruption}`}
              className="table"
              aria-label={`${table.corruption} on ${table.dataset}`}
            >
              <caption className="muted small">
                {table.corruption.replaceAll("_", " ")} · {table.dataset} · exact-match accuracy by severity
              </caption>
              <thead>
                <tr>
                  <th>Model</th>
                  {table.severities.map((severity) => (
                    <th key={severity}>{severity === 0 ? "clean" : `severity ${severity}`}</th>
                  ))}
                  <th>mean corrupted</th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.model}>
                    <td>{row.model}</td>
                    {row.accuracy.map((accuracy, index) => (
                      <td key={table.severities[index]}>
                        {accuracy === null ? "—" : formatPercent(accuracy)}
                      </td>
                    ))}
                    <td>{row.meanCorrupted === null ? "—" : formatPercent(row.meanCorrupted)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))
        )}
      </section>
      <ModelPlayground models={servable.map((model) => ({ name: model.name, task: model.task }))} />
    </>
  );
}

/** The first sentence, with the rest (what quantisation does and does not change…) one click away. */
function ModelDescription({ text }: { text: string }) {
  const firstSentence = text.match(/^.*?[.!?](\s|$)/)?.[0]?.trim() ?? text;
  if (firstSentence === text.trim()) return <div className="muted small">{text}</div>;
  return (
    <details className="muted small">
      <summary>{firstSentence}</summary>
      {text.slice(firstSentence.length).trim()}
    </details>
  );
}
