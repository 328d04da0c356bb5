import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ResidualCheck } from "@/components/run/residual-check";
import styles from "@/components/run/run.module.css";
import { RunControls } from "@/components/run/run-controls";
import { RunHeader } from "@/components/run/run-header";
import { RunLive } from "@/components/run/run-live";
import { AccuracySummary, InvalidBanner } from "@/components/run/run-outcome";
import { VerdictTable } from "@/components/run/verdict-table";
import { VerdictBadge } from "@/components/status-badge";
import { missingRole } from "@/lib/auth/page-principal";
import { targetColors } from "@/lib/dashboard/run-page/charts";
import { loadRunPage } from "@/lib/dashboard/run-page/load";
import { parseRunView, runViewSearch } from "@/lib/dashboard/run-page/view";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run ${(await params).id.slice(0, 8)}` };
}

/** One run: live while it goes on (server-sent events), complete afterwards. */
export default async function RunDetailPage({ params, searchParams }: Props) {
  const { id } = await params;
  const view = parseRunView(await searchParams);
  const page = await loadRunPage(id, view);
  if (!page) notFound();
  const colors = targetColors(page.targets);
  const search = runViewSearch(view);
  const residualTone = { pending: "info", clean: "good", residue: "bad", unverified: "warn" }[
    page.residual.state
  ];
  return (
    <>
      <RunHeader
        header={page.header}
        report={page.report}
        rerunDenied={await missingRole("operator", "Rerunning")}
      />
      <section className={styles.links} aria-label="Outcome">
        <span>
          Verdict{" "}
          {page.verdict ? (
            <VerdictBadge verdict={page.verdict.verdict} />
          ) : (
            <span className="muted">pending</span>
          )}
        </span>
        <span>
          Residual-fault check <span className={`badge badge-${residualTone}`}>{page.residual.state}</span>
          {page.residual.by ? <span className="muted small"> by the {page.residual.by}</span> : null}
        </span>
        <span className="muted">
          {page.targets.length} targets · {page.bands.length} phases
        </span>
      </section>
      <InvalidBanner outcome={page.outcome} />
      <RunControls
        view={view}
        targets={page.targets}
        colors={colors}
        bands={page.bands}
        plannedSeconds={page.header.plannedSeconds}
      />
      <RunLive
        key={search}
        initial={page.series}
        view={view}
        search={search}
        bands={page.bands}
        targets={page.targets}
        colors={colors}
      />
      <AccuracySummary outcome={page.outcome} />
      <VerdictTable
        report={page.verdict}
        status={page.header.status}
        invalidPhases={page.outcome.invalidPhases}
      />
      <ResidualCheck check={page.residual} />
    </>
  );
}
