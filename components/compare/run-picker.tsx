import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { StatusBadge, VerdictBadge } from "@/components/status-badge";
import type { ComparableRun } from "@/lib/dashboard/compare/load";
import { formatDuration, formatTimestamp } from "@/lib/format";
import styles from "./compare.module.css";

/** The finished runs to pick from when nothing is selected. */
export function RunPicker({ runs }: { runs: ComparableRun[] }) {
  return (
    <section aria-label="Finished runs">
      <h2 className="section-title">Pick a finished run</h2>
      <DataTable
        rows={runs}
        rowKey={(run) => run.id}
        columns={[
          {
            header: "Experiment",
            cell: (run) => (
              <Link prefetch={false} href={`/runs/${run.id}`}>
                {run.experiment} <span className="muted">v{run.version}</span>
              </Link>
            ),
          },
          {
            header: "Models",
            cell: (run) => (
              <>
                {run.candidate ? <strong>{run.candidate}</strong> : null}
                {run.targets
                  .filter((target) => target !== run.candidate)
                  .map((target) => (
                    <span key={target}>, {target}</span>
                  ))}
                <span className={styles.sub}>{run.targets.length} targets</span>
              </>
            ),
          },
          { header: "Status", cell: (run) => <StatusBadge status={run.status} /> },
          {
            header: "SLO verdict",
            cell: (run) => (run.verdict ? <VerdictBadge verdict={run.verdict} /> : "—"),
          },
          { header: "Queued", cell: (run) => formatTimestamp(run.createdAt) },
          { header: "Duration", cell: (run) => formatDuration(run.startedAt, run.endedAt) },
          {
            header: "Compare",
            cell: (run) => (
              <Link
                prefetch={false}
                href={`/compare?run=${run.id}`}
                aria-label={`Compare ${run.experiment} run ${run.id}`}
              >
                Compare
              </Link>
            ),
          },
        ]}
        empty={
          <EmptyState title="Nothing to compare yet">
            <p>
              A comparison reads a finished run whose experiment targets several model versions. Every target
              of a run receives the same items on the same arrival schedule, so their differences are the
              models&apos;, not luck. Launch one from{" "}
              <Link prefetch={false} href="/experiments">
                Experiments
              </Link>
              , or with <code>npm run drill -- experiments/corruption-sweep.yaml</code>.
            </p>
          </EmptyState>
        }
      />
    </section>
  );
}
