import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { RUN_COLUMNS } from "@/components/run-columns";
import { StatCard } from "@/components/stat-card";
import { getOverview } from "@/lib/dashboard/overview";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const overview = await getOverview();
  const { counts } = overview;
  return (
    <>
      <PageHeader title="Overview">
        How the candidate model and its baselines hold up when things go wrong: latest drills and their
        verdicts.
      </PageHeader>
      <section className="stats" aria-label="Totals">
        <StatCard label="Model versions" value={counts.models} />
        <StatCard label="Datasets" value={counts.datasets} />
        <StatCard label="Experiments" value={counts.experiments} />
        <StatCard label="Runs" value={counts.runs} />
        <StatCard label="Schedules" value={counts.schedules} />
      </section>
      <h2 className="section-title">Latest runs</h2>
      <DataTable
        rows={overview.latestRuns}
        columns={RUN_COLUMNS}
        rowKey={(run) => run.id}
        empty={
          <EmptyState title="No drills have run yet">
            <p>
              A run executes an experiment: load at a set arrival rate against the candidate and its
              baselines, a fault schedule, and a verdict on each SLO. {nextStep(counts)}
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

function nextStep(counts: { models: number; experiments: number }) {
  if (counts.models === 0) {
    return (
      <>
        First, register model versions: each has a manifest under <code>models/</code>, and{" "}
        <code>npm run db:seed</code> registers them (see <Link href="/models">Models</Link>).
      </>
    );
  }
  if (counts.experiments === 0) {
    return (
      <>
        Next, define an experiment for them (see <Link href="/experiments">Experiments</Link>).
      </>
    );
  }
  return (
    <>
      Runs of the <Link href="/experiments">experiments</Link> appear here as soon as they are queued.
    </>
  );
}
