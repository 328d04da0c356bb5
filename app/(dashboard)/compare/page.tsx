import type { Metadata } from "next";
import Link from "next/link";
import { AcrossRuns } from "@/components/compare/across-runs";
import { CandidateVerdict } from "@/components/compare/candidate-verdict";
import styles from "@/components/compare/compare.module.css";
import { CompareControls } from "@/components/compare/compare-controls";
import { LeaderboardTable } from "@/components/compare/leaderboard-table";
import { PairedDifferences } from "@/components/compare/paired-differences";
import { PercentileChart } from "@/components/compare/percentile-chart";
import { PhaseBreakdown } from "@/components/compare/phase-table";
import { RunPicker } from "@/components/compare/run-picker";
import { SelectedRuns } from "@/components/compare/selected-runs";
import type { ChartSeries } from "@/components/compare/series-lines";
import { SeverityChart } from "@/components/compare/severity-chart";
import { PageHeader } from "@/components/page-header";
import { listComparableRuns, loadComparison } from "@/lib/dashboard/compare/load";
import { parseCompareParams } from "@/lib/dashboard/compare/params";
import { formatTimestamp } from "@/lib/format";

export const metadata: Metadata = { title: "Compare" };

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { dropped, ...params } = parseCompareParams(await searchParams);
  const header = (
    <PageHeader title="Compare">
      Candidate against baselines on the same seeded requests and faults: accuracy, success rate and tail
      latency, with paired differences and their intervals.
    </PageHeader>
  );
  if (params.runIds.length === 0) {
    return (
      <>
        {header}
        <DroppedNote dropped={dropped} />
        <RunPicker runs={await listComparableRuns(50)} />
      </>
    );
  }

  const view = await loadComparison(params.runIds, params);
  const several = view.runs.length > 1;
  const visible = view.entries.filter((entry) => entry.visible);
  const series: ChartSeries[] = visible.map((entry) => ({
    key: entry.key,
    label: entry.label,
    color: entry.color,
    dash: entry.dash,
    candidate: entry.role === "candidate",
  }));
  const targets = [...new Map(view.entries.map((entry) => [entry.target, entry])).values()].map((entry) => ({
    name: entry.target,
    color: entry.color,
    role: entry.role,
  }));

  return (
    <>
      {header}
      <DroppedNote dropped={dropped} />
      {view.selection.warning ? (
        <div
          className={styles.callout}
          role="alert"
          aria-label="Runs not comparable"
          data-testid="selection-warning"
        >
          <p>{view.selection.warning}</p>
        </div>
      ) : null}
      {view.problems.length > 0 ? (
        <div className={styles.callout} role="alert">
          {view.problems.map((problem) => (
            <p key={problem}>{problem}</p>
          ))}
        </div>
      ) : null}
      {view.runs.length === 0 ? (
        <RunPicker runs={view.addable} />
      ) : (
        <>
          <SelectedRuns runs={view.runs} params={params} />
          <CompareControls
            params={params}
            targets={targets}
            addable={view.addable.map((run) => ({
              id: run.id,
              label: `${run.experiment} v${run.version} · ${run.status} · ${formatTimestamp(run.createdAt)}`,
            }))}
          />
          <CandidateVerdict verdicts={view.verdicts} several={several} />
          <LeaderboardTable board={view.leaderboard} params={params} several={several} diff={params.diff} />
          <PairedDifferences verdicts={view.verdicts} forests={view.forests} several={several} />
          {several ? <AcrossRuns lines={view.acrossRuns} forests={view.acrossForests} /> : null}

          <section aria-label="Accuracy vs severity" className={styles.section}>
            <h2 className="section-title">Accuracy vs corruption severity</h2>
            {view.severity.curves.length === 0 ? (
              <p className="muted" data-testid="no-corruption">
                {several ? "None of these runs has" : "This run has no"} corruption phases (a{" "}
                <code>corrupt_input</code> fault with a corruption and a severity), so there is no
                accuracy-vs-severity curve. See <code>experiments/corruption-sweep.yaml</code> for a drill
                that has them.
              </p>
            ) : (
              <div className={styles.charts}>
                {view.severity.curves.map((curve) => (
                  <SeverityChart key={curve.corruption} curve={curve} series={series} />
                ))}
              </div>
            )}
            {view.severity.notes.length > 0 ? (
              <ul className={styles.notes}>
                {view.severity.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            ) : null}
          </section>

          <section aria-label="Latency percentile curves" className={styles.section}>
            <h2 className="section-title">Latency percentiles</h2>
            <PercentileChart curves={view.percentiles} series={series} clock={params.clock} />
            <PercentileNote view={view} labels={new Map(visible.map((entry) => [entry.key, entry.label]))} />
          </section>

          <PhaseBreakdown table={view.phaseTable} diff={params.diff} several={several} />
        </>
      )}
    </>
  );
}

function DroppedNote({ dropped }: { dropped: string[] }) {
  if (dropped.length === 0) return null;
  return (
    <p className={styles.callout} role="status">
      Left out of the selection: {dropped.join(", ")} (not a run id, or more than four runs). Pick runs from
      the{" "}
      <Link prefetch={false} href="/compare">
        list
      </Link>
      .
    </p>
  );
}

function PercentileNote({
  view,
  labels,
}: {
  view: Awaited<ReturnType<typeof loadComparison>>;
  labels: Map<string, string>;
}) {
  const { counts, resolvedUpTo, points } = view.percentiles;
  const top = points[points.length - 1]?.percentile;
  const resolved = Object.values(resolvedUpTo).filter((upTo): upTo is number => upTo !== null);
  const lowest = resolved.length > 0 ? Math.min(...resolved) : null;
  return (
    <p className={styles.note}>
      Each model&apos;s window histograms merged over the phases that count (a warm-up with{" "}
      <code>counts: false</code> is left out); requests:{" "}
      {Object.entries(counts)
        .map(([key, count]) => `${labels.get(key) ?? key} ${count}`)
        .join(", ")}
      .{" "}
      {lowest !== null && lowest !== top
        ? `With n requests, a percentile above 100·(1 − 1/n) is just the slowest request: these samples resolve up to p${lowest}; further right the lines show each model's maximum.`
        : null}
    </p>
  );
}
