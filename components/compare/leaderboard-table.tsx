import Link from "next/link";
import { VerdictBadge } from "@/components/status-badge";
import type { Leaderboard, LeaderboardColumn, LeaderboardRow } from "@/lib/dashboard/compare/core";
import { type CompareParams, compareHref } from "@/lib/dashboard/compare/params";
import styles from "./compare.module.css";

const COMPONENT_COLORS: Record<string, string> = {
  accuracy: "#58a6ff",
  successRate: "#3fb950",
  p99LatencyMs: "#d2a8ff",
  throughputRps: "#e3b341",
  errorRate: "#ff7b72",
  cer: "#39c5cf",
};

const GROUP_LABELS: Record<string, string> = {
  rank: "",
  measured: "Measured",
  resilience: "Resilience",
  relative: "Relative (rank within this selection)",
  verdict: "",
};

/**
 * One row per model (per run when several), best first; the candidate row stands out. Headers
 * sort (best first) through the URL. Rank comes from the paired verdicts (`tie` where they do not
 * separate models); the resilience cell is the absolute score with its families; the relative
 * score (min–max within this selection) is a separate, labelled group.
 */
export function LeaderboardTable({
  board,
  params,
  several,
  diff,
}: {
  board: Leaderboard;
  params: CompareParams;
  several: boolean;
  diff: boolean;
}) {
  const groups = groupColumns(board.columns);
  return (
    <section aria-label="Leaderboard" className={styles.section}>
      <div className={styles.sectionHead}>
        <h2 className="section-title">Leaderboard</h2>
        <span className="muted small">
          Sorted by {board.sort.label.toLowerCase()}, best first
          {board.sort.key !== "resilience" ? (
            <>
              {" "}
              ·{" "}
              <Link prefetch={false} href={compareHref(params, { sort: null })}>
                sort by resilience
              </Link>
            </>
          ) : null}
        </span>
      </div>
      <div className={styles.tableWrap}>
        <table className={`table ${styles.board}`} aria-label="Leaderboard">
          <thead>
            <tr className={styles.groupHead}>
              <th colSpan={several ? 2 : 1} />
              {groups.map((group) => (
                <th key={group.name} colSpan={group.span} scope="colgroup">
                  {GROUP_LABELS[group.name]}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="col">Model</th>
              {several ? <th scope="col">Run</th> : null}
              {board.columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  title={column.description}
                  aria-sort={
                    board.sort.key === column.key
                      ? column.better === "lower"
                        ? "ascending"
                        : "descending"
                      : undefined
                  }
                  data-column={column.key}
                >
                  {column.better ? (
                    <Link
                      prefetch={false}
                      href={compareHref(params, { sort: column.key === "resilience" ? null : column.key })}
                      scroll={false}
                    >
                      {column.shortLabel}
                      {board.sort.key === column.key ? " ▾" : ""}
                    </Link>
                  ) : (
                    column.shortLabel
                  )}
                  {column.detail ? <span className={styles.sub}>{column.detail}</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => (
              <BoardRow key={row.key} row={row} columns={board.columns} several={several} />
            ))}
          </tbody>
        </table>
      </div>
      {diff && board.hiddenColumns.length > 0 ? (
        <p className={styles.note} data-testid="hidden-columns">
          Differences only: hiding {board.hiddenColumns.map((column) => column.label).join(", ")} (equal on
          every row shown).
        </p>
      ) : null}
      {diff && board.hiddenColumns.length === 0 ? (
        <p className={styles.note}>Differences only: every column differs between the models shown.</p>
      ) : null}
      <ol className={styles.footnotes} aria-label="Leaderboard notes">
        {board.footnotes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ol>
    </section>
  );
}

function BoardRow({
  row,
  columns,
  several,
}: {
  row: LeaderboardRow;
  columns: LeaderboardColumn[];
  several: boolean;
}) {
  const candidate = row.role === "candidate";
  return (
    <tr
      className={candidate ? styles.candidateRow : undefined}
      data-target={row.target}
      data-role={row.role}
      data-run-index={row.runIndex}
    >
      <th scope="row">
        <span className={styles.modelCell}>
          <span className={styles.swatch} style={{ background: row.color }} aria-hidden="true" />
          <span>
            <span className={styles.modelName}>{row.target}</span>{" "}
            <span className={`badge ${candidate ? "badge-info" : "badge-muted"}`} data-testid="role">
              {row.role}
            </span>
            <span className={styles.sub} title={`${row.requests} requests over the phases that count`}>
              {row.model}
            </span>
          </span>
        </span>
      </th>
      {several ? <td>#{row.runIndex}</td> : null}
      {columns.map((column) => {
        const cell = row.cells[column.key];
        if (column.kind === "verdict") {
          return (
            <td key={column.key} data-column={column.key}>
              <VerdictBadge verdict={row.verdict} />
            </td>
          );
        }
        if (column.kind === "rank") {
          const tied = row.standing.tiedWith;
          return (
            <td
              key={column.key}
              data-column={column.key}
              data-rank={row.standing.rank}
              title={
                tied.length
                  ? `Not separated by the paired verdicts from ${tied.join(", ")}`
                  : "Separated from the others by the paired verdicts"
              }
            >
              {row.standing.text}
              {tied.length ? <span className={styles.sub}>with {tied.join(", ")}</span> : null}
            </td>
          );
        }
        if (column.key === "resilience") {
          return (
            <td key={column.key} data-column={column.key}>
              <Resilience row={row} />
            </td>
          );
        }
        if (column.key === "relative") {
          return (
            <td key={column.key} data-column={column.key}>
              <RelativeScore row={row} />
            </td>
          );
        }
        return (
          <td key={column.key} data-column={column.key}>
            {cell?.text ?? "—"}
            {cell?.relative ? <span className={styles.sub}>{cell.relative}</span> : null}
            {cell?.note ? <span className={styles.sub}>{cell.note}</span> : null}
          </td>
        );
      })}
    </tr>
  );
}

/** The absolute score (from the model's own SLOs) and its score per family of SLOs. */
function Resilience({ row }: { row: LeaderboardRow }) {
  const { score, families, note } = row.resilience;
  return (
    <>
      <span className={styles.score}>{score === null ? "—" : score.toFixed(0)}</span>
      {families.length ? (
        <span className={styles.sub} data-testid="resilience-families">
          {families
            .map((family) => `${family.name} ${family.score === null ? "—" : family.score.toFixed(0)}`)
            .join(" · ")}
        </span>
      ) : null}
      {note ? <span className={styles.sub}>{note}</span> : null}
    </>
  );
}

/** The min–max score within this selection, with each component's share: a rank, not a grade. */
function RelativeScore({ row }: { row: LeaderboardRow }) {
  const { score, components, note } = row.resilience.relative;
  const parts = components.filter((component) => component.points !== null && component.effectiveWeight > 0);
  const described = parts
    .map(
      (component) =>
        `${component.label} ${component.rawText}: normalised ${component.normalised?.toFixed(2)} × weight ${component.effectiveWeight.toFixed(2)} = ${component.points?.toFixed(1)} points`,
    )
    .join("; ");
  return (
    <>
      <span className={styles.score}>{score === null ? "—" : score.toFixed(0)}</span>
      <span
        className={styles.bar}
        role="img"
        aria-label={`Relative score components (within this selection): ${described}`}
        title={described}
      >
        {parts.map((component) => (
          <span
            key={component.metric}
            style={{
              width: `${component.points}%`,
              background: COMPONENT_COLORS[component.metric] ?? "#8b98a5",
            }}
          />
        ))}
      </span>
      <span className={styles.sub}>
        {parts
          .map((component) => `${shortName(component.metric)} ${component.points?.toFixed(0)}`)
          .join(" · ")}
      </span>
      {note ? <span className={styles.sub}>{note}</span> : null}
    </>
  );
}

function shortName(metric: string): string {
  return (
    {
      accuracy: "acc",
      successRate: "succ",
      p99LatencyMs: "p99",
      throughputRps: "thr",
      errorRate: "err",
      cer: "cer",
    }[metric] ?? metric
  );
}

function groupColumns(columns: LeaderboardColumn[]) {
  const groups: { name: string; span: number }[] = [];
  for (const column of columns) {
    const last = groups[groups.length - 1];
    if (last && last.name === column.group) last.span += 1;
    else groups.push({ name: column.group, span: 1 });
  }
  return groups;
}
