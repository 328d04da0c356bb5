import type { Metadata } from "next";
import Link from "next/link";
import styles from "@/components/experiments/experiments.module.css";
import { SpecEditor } from "@/components/experiments/spec-editor";
import { PageHeader } from "@/components/page-header";
import { missingRole } from "@/lib/auth/page-principal";
import { BLANK_SPEC } from "@/lib/dashboard/experiments/editor";
import { listTemplates } from "@/lib/dashboard/experiments/load";
import { listExperiments } from "@/lib/dashboard/registry";

export const metadata: Metadata = { title: "New experiment" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function NewExperimentPage({ searchParams }: { searchParams: SearchParams }) {
  const { template: wanted } = await searchParams;
  const [templates, experiments] = await Promise.all([listTemplates(), listExperiments()]);
  const template = templates.find((candidate) => candidate.name === wanted) ?? null;
  const existing = Object.fromEntries(
    experiments.map((experiment) => [
      experiment.name,
      { id: experiment.id, version: experiment.currentVersion },
    ]),
  );
  return (
    <>
      <PageHeader title="New experiment">
        Write the drill as YAML; it is checked as you type. Saving stores it as an experiment (or as the next
        version of the experiment with its name).
      </PageHeader>
      <nav className={styles.templates} aria-label="Templates">
        Start from:
        <Link
          prefetch={false}
          href="/experiments/new"
          className={styles.templateLink}
          aria-current={template === null ? "true" : undefined}
        >
          blank
        </Link>
        {templates.map((candidate) => (
          <Link
            prefetch={false}
            key={candidate.name}
            href={`/experiments/new?template=${encodeURIComponent(candidate.name)}`}
            className={styles.templateLink}
            aria-current={candidate === template ? "true" : undefined}
          >
            {candidate.name}
          </Link>
        ))}
      </nav>
      {/* A new key per template: picking another one starts the editor afresh. */}
      <SpecEditor
        key={template?.name ?? "blank"}
        initialText={template?.text ?? BLANK_SPEC}
        editing={null}
        existing={existing}
        saveDenied={await missingRole("operator", "Saving or launching")}
      />
    </>
  );
}
