import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ActiveFaults } from "@/components/overview/active-faults";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { ResilienceTrendChart } from "@/components/overview/resilience-trend-chart";
import { TrendPicker } from "@/components/overview/trend-picker";
import { PageHeader } from "@/components/page-header";
import { RUN_COLUMNS } from "@/components/run-columns";
import { StatCard } from "@/components/stat-card";
import { missingRole } from "@/lib/auth/page-principal";
import { getActiveFaults, getOverview, listTrendRuns } from "@/lib/dashboard/overview/load";
import { prepareResilienceTrend } from "@/lib/dashboard/overview/trend";

export const metadata: Metadata = { title: "Overview" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const { experiment } = await searchParams;
  const [overview, faults, trendRuns] = await Promise.all([
    getOverview(),
    getActiveFaults(),
    listTrendRuns(),
  ]);
  const trend = prepareResilienceTrend(trendRuns, {
    experiment: typeof experiment === "string" ? experiment : null,
  });
  const { counts } = overview;
  return (
    <>
      <AutoRefresh intervalMs={15_000} />
      <PageHeader title="Overview">
        How the candidate model and its baselines hold up when things go wrong: latest drills and their
        verdicts, the faults active right now, and the candidate&apos;s resilience over time.
      </PageHeader>
      <section className="stats" aria-label="Totals">
        <StatCard label="Model versions" value={counts.models} />
        <StatCard label="Datasets" value={counts.datasets} />
        <StatCard label="Experiments" value={counts.experiments} />
        <StatCard label="Runs" value={counts.runs} />
        <StatCard label="Schedules" value={counts.schedules} />
      </section>
      <ActiveFaults
        data={faults}
        renderedAt={Date.now()}
        controlDenied={await missingRole("operator", "Halting or arming chaos")}
      />
      <section aria-label="Latest runs">
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
      </section>
      <section aria-label="Resilience trend">
        <h2 className="section-title">Candidate resilience over time</h2>
        <TrendPicker experiments={trend.experiments} selected={trend.selected} />
        {trend.hasScores ? (
          <ResilienceTrendChart trend={trend} />
        ) : (
          <EmptyState title="No resilience scores yet">
            <p>
              Each finished run scores its candidate from 0 to 100 against its own SLOs and tolerances
              (absolute: the same whatever else is compared). The scores of finished runs are drawn here, a
              line per experiment.
            </p>
          </EmptyState>
        )}
      </section>
    </>
  );
}

function nextStep(counts: { models: number; experiments: number }) {
  if (counts.models === 0) {
    return (
      <>
        First, register model versions: each has a manifest under <code>models/</code>, and{" "}
        <code>npm run db:seed</code> registers them (see{" "}
        <Link prefetch={false} href="/models">
          Models
        </Link>
        ).
      </>
    );
  }
  if (counts.experiments === 0) {
    return (
      <>
        Next, define an experiment for them (see{" "}
        <Link prefetch={false} href="/experiments">
          Experiments
        </Link>
        ).
      </>
    );
  }
  return (
    <>
      Runs of the{" "}
      <Link prefetch={false} href="/experiments">
        experiments
      </Link>{" "}
      appear here as soon as they are queued.
    </>
  );
}
