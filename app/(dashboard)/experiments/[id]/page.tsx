import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RoleGate } from "@/components/auth/role-gate";
import styles from "@/components/experiments/experiments.module.css";
import { LaunchButton } from "@/components/experiments/launch-button";
import { SpecEditor } from "@/components/experiments/spec-editor";
import { PageHeader } from "@/components/page-header";
import { missingRole } from "@/lib/auth/page-principal";
import { getEditableExperiment } from "@/lib/dashboard/experiments/load";
import { listExperiments } from "@/lib/dashboard/registry";

export const metadata: Metadata = { title: "Edit experiment" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EditExperimentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  const { saved, unchanged } = await searchParams;
  const [experiment, experiments] = await Promise.all([getEditableExperiment(id), listExperiments()]);
  if (!experiment) notFound();
  const existing = Object.fromEntries(
    experiments.map((row) => [row.name, { id: row.id, version: row.currentVersion }]),
  );
  return (
    <>
      <PageHeader title={experiment.name}>
        Version {experiment.version} · {experiment.runs} run{experiment.runs === 1 ? "" : "s"}. Saving an edit
        creates version {experiment.version + 1}; runs keep the version they executed.
      </PageHeader>
      <div className={styles.toolbar}>
        <RoleGate need="operator" what="Launching" fallback={null}>
          <LaunchButton name={experiment.name} experimentId={experiment.id} />
          <span className="muted">runs version {experiment.version} as saved</span>
        </RoleGate>
        <Link prefetch={false} href="/experiments">
          All experiments
        </Link>
      </div>
      {typeof saved === "string" ? (
        <p className={styles.saved} role="status">
          {unchanged ? `No change: this is version ${saved} as saved.` : `Saved as version ${saved}.`}
        </p>
      ) : null}
      <SpecEditor
        key={experiment.id}
        initialText={experiment.yaml}
        editing={{ id: experiment.id, name: experiment.name, version: experiment.version }}
        existing={existing}
        saveDenied={await missingRole("operator", "Saving or launching")}
      />
    </>
  );
}
