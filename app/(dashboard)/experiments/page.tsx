import type { Metadata } from "next";
import Link from "next/link";
import { RoleGate } from "@/components/auth/role-gate";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import styles from "@/components/experiments/experiments.module.css";
import { LaunchButton } from "@/components/experiments/launch-button";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { listTemplates, type SpecTemplate } from "@/lib/dashboard/experiments/load";
import { type ExperimentRow, listExperiments } from "@/lib/dashboard/registry";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Experiments" };

const COLUMNS: Column<ExperimentRow>[] = [
  {
    header: "Name",
    cell: (experiment) => (
      <Link prefetch={false} href={`/experiments/${experiment.id}`}>
        {experiment.name}
      </Link>
    ),
  },
  { header: "Version", cell: (experiment) => `v${experiment.currentVersion}` },
  { header: "Description", cell: (experiment) => experiment.description },
  {
    header: "Last run",
    cell: (experiment) =>
      experiment.lastRun ? (
        <span className={styles.lastRun}>
          <StatusBadge status={experiment.lastRun.status} />
          <Link prefetch={false} href={`/runs/${experiment.lastRun.id}`}>
            {formatTimestamp(experiment.lastRun.createdAt)}
          </Link>
        </span>
      ) : (
        <span className="muted">never</span>
      ),
  },
  { header: "Runs", cell: (experiment) => experiment.runs },
  {
    header: "Actions",
    cell: (experiment) => (
      <span className={styles.rowActions}>
        <RoleGate need="operator" what="Launching" fallback={null}>
          <LaunchButton name={experiment.name} experimentId={experiment.id} />
        </RoleGate>
        <Link prefetch={false} href={`/experiments/${experiment.id}`} aria-label={`Edit ${experiment.name}`}>
          Edit
        </Link>
      </span>
    ),
  },
];

const SHIPPED_COLUMNS: Column<SpecTemplate>[] = [
  { header: "Drill", cell: (template) => <code>{template.name}</code> },
  { header: "Description", cell: (template) => template.description },
  {
    header: "Actions",
    cell: (template) => (
      <span className={styles.rowActions}>
        <RoleGate need="operator" what="Launching" fallback={null}>
          <LaunchButton name={template.specName ?? template.name} specYaml={template.text} />
        </RoleGate>
        <Link
          prefetch={false}
          href={`/experiments/new?template=${encodeURIComponent(template.name)}`}
          aria-label={`Open ${template.name} in the editor`}
        >
          Open in editor
        </Link>
      </span>
    ),
  },
];

export default async function ExperimentsPage() {
  const [experiments, templates] = await Promise.all([listExperiments(), listTemplates()]);
  const saved = new Set(experiments.map((experiment) => experiment.name));
  // Shipped drills already saved are launched from their row above; the rest save on launch.
  const unsaved = templates.filter((template) => !saved.has(template.specName ?? template.name));
  return (
    <>
      <PageHeader title="Experiments">
        Versioned drill specs: targets, dataset, load, phases with their faults, SLO hypothesis and stop
        conditions.
      </PageHeader>
      <div className={styles.toolbar}>
        <Link
          prefetch={false}
          href="/experiments/new"
          className={`button ${styles.linkButton} ${styles.primary}`}
        >
          New experiment
        </Link>
        <span className="muted">Launch runs the current version; every edit is saved as a new version.</span>
      </div>
      <DataTable
        rows={experiments}
        columns={COLUMNS}
        rowKey={(experiment) => experiment.id}
        empty={
          <EmptyState title="No experiments defined">
            <p>
              An experiment names the candidate and its baselines, the load to send, the faults of each phase
              and the SLOs that decide pass or fail. Every edit is kept as a new version, so each run says
              which spec it ran. Launch a shipped drill below, or write a new one.
            </p>
          </EmptyState>
        }
      />
      {unsaved.length > 0 ? (
        <section aria-label="Shipped drills">
          <h2 className="section-title">Shipped drills</h2>
          <p className="muted">
            The drills in <code>experiments/</code> that are not saved yet: Launch saves one as an experiment
            and runs it.
          </p>
          <DataTable
            rows={unsaved}
            columns={SHIPPED_COLUMNS}
            rowKey={(template) => template.name}
            empty={null}
          />
        </section>
      ) : null}
    </>
  );
}
