// The compare page's pure core: the URL selection, the models compared (one entry per target per
// run), their stable colours, the leaderboard (rank from the paired verdicts, measured figures,
// the absolute resilience score, and the relative min–max view labelled as such) and the
// "differences only" filter. No I/O: the loader (./load.ts) feeds it plain objects (./types.ts).
import { type ResilienceMetric, type ResilienceWeights, scoreResilience } from "../../metrics/resilience";
import type { RunReport, RunVerdict } from "../../runner/run-record";
import { describeFaultShort } from "../faults/text";
import { formatSigned, formatValue, type ValueKind } from "./format";
import type { ComparedEntry, Role, RunInput } from "./types";

// ─── The models compared ─────────────────────────────────────────────────────────────────────

/** Colours for a dark background, the candidate's first (the accent); a target keeps its colour across runs. */
export const SERIES_COLORS = [
  "#f0883e",
  "#58a6ff",
  "#3fb950",
  "#d2a8ff",
  "#e3b341",
  "#ff7b72",
  "#39c5cf",
  "#a5d6ff",
  "#7ee787",
  "#db61a2",
];
const RUN_DASHES = ["", "6 3", "2 3", "10 3 2 3"];

/**
 * The entries of the compared runs in display order (run by run, the candidate first, then the
 * baselines in spec order). Colours follow the target's name so that "fp32" has one colour in
 * every run; line dashes tell the runs apart.
 */
export function prepareEntries(
  runs: readonly RunInput[],
  targets: readonly string[] | null,
): ComparedEntry[] {
  const several = runs.length > 1;
  const colorOf = new Map<string, string>();
  const entries: ComparedEntry[] = [];
  runs.forEach((run, index) => {
    const ordered = [
      ...run.targets.filter((target) => target.role === "candidate"),
      ...run.targets.filter((target) => target.role !== "candidate"),
    ];
    for (const target of ordered) {
      if (!colorOf.has(target.name)) {
        colorOf.set(target.name, SERIES_COLORS[colorOf.size % SERIES_COLORS.length] as string);
      }
      const runIndex = index + 1;
      entries.push({
        key: `${runIndex}:${target.name}`,
        runId: run.id,
        runIndex,
        target: target.name,
        model: target.model,
        role: target.role,
        label: several ? `${target.name} · #${runIndex}` : target.name,
        dataset: run.dataset,
        visible: true,
        color: colorOf.get(target.name) as string,
        dash: RUN_DASHES[index % RUN_DASHES.length] as string,
      });
    }
  });
  // A selection naming no target of these runs would show nothing: ignore it instead.
  const known = targets?.filter((name) => entries.some((entry) => entry.target === name)) ?? [];
  if (known.length === 0) return entries;
  return entries.map((entry) => ({ ...entry, visible: known.includes(entry.target) }));
}

// ─── Differences only ────────────────────────────────────────────────────────────────────────

/**
 * Whether displayed values differ. Values are compared as shown (so 97.21% and 97.24% are equal
 * at one decimal); a gap ("—") differs from any number. Fewer than two values never differ.
 */
export function differs(texts: readonly string[]): boolean {
  return texts.length > 1 && texts.some((text) => text !== texts[0]);
}

/** The items (columns, rows, metrics) whose values are not all equal across the compared models. */
export function keepDifferences<T>(items: readonly T[], textsOf: (item: T) => readonly string[]): T[] {
  return items.filter((item) => differs(textsOf(item)));
}

// ─── The leaderboard ─────────────────────────────────────────────────────────────────────────

export type ColumnGroup = "rank" | "measured" | "resilience" | "relative" | "verdict";

export interface LeaderboardColumn {
  key: string;
  label: string;
  /** The header text, shorter where the group header says the rest ("P99" under "Normalised"). */
  shortLabel: string;
  /** A second header line (the dataset of an accuracy column), or null. */
  detail: string | null;
  group: ColumnGroup;
  kind: ValueKind | "verdict" | "rank";
  /** Which way is better, for sorting (best first) and for the "relative" line. */
  better: "higher" | "lower" | null;
  /** A longer explanation for the header's title and the footnotes. */
  description: string;
}

export interface LeaderboardCell {
  value: number | null;
  text: string;
  /** Against the reference candidate (run #1's), e.g. "−1.2 pp" or "+35%"; null on its own row. */
  relative: string | null;
  /** A second line under the value, e.g. "n = 50 items". */
  note?: string | null;
}

/** The absolute resilience score: from the target's own SLOs and tolerances (runs.summary). */
export interface ResilienceBreakdown {
  score: number | null;
  /** The score per family of SLOs (latency, errors, accuracy…) as the record gives them. */
  families: { name: string; score: number | null }[];
  note: string | null;
  /** The min–max view across this selection: a rank, not a grade. */
  relative: RelativeBreakdown;
}

/** Where a model stands by the paired verdicts against its run's candidate. */
export interface Standing {
  /** 1 = best; models the paired verdicts do not separate share a rank. */
  rank: number;
  /** The rank, or "tie" when another model shares it. */
  text: string;
  /** The models it shares its rank with. */
  tiedWith: string[];
}

export interface RelativeBreakdown {
  score: number | null;
  components: {
    metric: ResilienceMetric;
    label: string;
    raw: number | null;
    rawText: string;
    normalised: number | null;
    weight: number;
    effectiveWeight: number;
    /** effectiveWeight × normalised × 100: this component's share of the score. */
    points: number | null;
  }[];
  note: string | null;
}

export interface LeaderboardRow
  extends Pick<ComparedEntry, "key" | "runId" | "runIndex" | "target" | "model" | "role" | "label"> {
  color: string;
  verdict: RunVerdict | "no_data";
  requests: number;
  /** Distinct items sent (the n of the accuracy comparisons); null for older records. */
  items: number | null;
  standing: Standing;
  cells: Record<string, LeaderboardCell>;
  resilience: ResilienceBreakdown;
}

export interface Leaderboard {
  columns: LeaderboardColumn[];
  /** Columns hidden by "differences only" (their values are equal on every row shown). */
  hiddenColumns: LeaderboardColumn[];
  rows: LeaderboardRow[];
  sort: { key: string; label: string };
  /** The row other rows are relative to: run #1's candidate. */
  reference: string | null;
  footnotes: string[];
}

const METRIC_LABELS: Record<ResilienceMetric, string> = {
  accuracy: "accuracy",
  successRate: "success rate",
  throughputRps: "throughput",
  p99LatencyMs: "P99 latency",
  errorRate: "error rate",
  cer: "CER",
};

const SHORT_METRIC_LABELS: Record<ResilienceMetric, string> = {
  accuracy: "Acc.",
  successRate: "Succ.",
  throughputRps: "Thr.",
  p99LatencyMs: "P99",
  errorRate: "Err.",
  cer: "CER",
};

const METRIC_KINDS: Record<ResilienceMetric, ValueKind> = {
  accuracy: "percent",
  successRate: "percent",
  throughputRps: "rate",
  p99LatencyMs: "ms",
  errorRate: "percent",
  cer: "unit",
};

/** How each run's candidate came out against its baselines: what the leaderboard ranks by. */
export interface PairedStanding {
  runIndex: number;
  candidate: string;
  lines: {
    baseline: string;
    accuracy: { verdict: "better" | "worse" | "inconclusive"; status: "measured" | "unavailable" };
    p99: { verdict: "better" | "worse" | "inconclusive"; status: "measured" | "unavailable" };
  }[];
}

/**
 * One row per visible (run, target): its standing (rank from the paired verdicts, `tie` where they
 * do not separate it from another model), columns for accuracy per dataset (end to end) and over
 * answered requests, success rate, P50, P99, throughput, the absolute resilience score (from each
 * target's own SLOs, the same whatever else is selected), the relative view (min–max normalised
 * components and their weighted mean: a rank within this selection, hidden models included) and
 * the SLO verdict. Sorted best first by `sort` (default: resilience), the reference candidate
 * first among ties.
 */
export function prepareLeaderboard(
  runs: readonly RunInput[],
  entries: readonly ComparedEntry[],
  options: { diff?: boolean; sort?: string | null; standings?: readonly PairedStanding[] } = {},
): Leaderboard {
  const datasets = unique(runs.map((run) => run.dataset));
  const weights = weightsOf(runs[0]?.report);
  const metricsOf = (entry: ComparedEntry) => {
    const run = runs.find((candidate) => candidate.id === entry.runId);
    const target = run?.report.targets.find((report) => report.target === entry.target);
    return { run, target };
  };

  const scores = scoreResilience(
    entries.map((entry) => {
      const { target } = metricsOf(entry);
      return {
        id: entry.key,
        metrics: {
          accuracy: target?.accuracy,
          successRate: target?.successRate,
          p99LatencyMs: target?.latencyMs.p99,
          throughputRps: target?.throughputPerSecond,
          cer: target?.cer,
        },
      };
    }),
    { weights },
  );
  const scoredMetrics = (scores[0]?.components ?? []).map((component) => component.metric);
  const accuracyKey = (dataset: string) => (datasets.length === 1 ? "accuracy" : `accuracy:${dataset}`);

  const columns: LeaderboardColumn[] = [
    {
      key: "rank",
      label: "Rank",
      shortLabel: "Rank",
      detail: runs.length > 1 ? "in its run" : null,
      group: "rank",
      kind: "rank",
      better: "lower",
      description:
        "From the paired verdicts against the run's candidate (accuracy on distinct items, P99): a model ranks above or below the candidate only where those verdicts separate them; otherwise it is a tie.",
    },
    ...datasets.map(
      (dataset): LeaderboardColumn => ({
        key: accuracyKey(dataset),
        label: `Accuracy · ${dataset}`,
        shortLabel: "Accuracy",
        detail: dataset,
        group: "measured",
        kind: "percent",
        better: "higher",
        description: `End to end: share of the ${dataset} arrivals answered correctly, a failed, overflowed or degraded request counting as wrong, over the phases that count; n = distinct items.`,
      }),
    ),
    {
      key: "answeredAccuracy",
      label: "Accuracy (answered)",
      shortLabel: "Answered acc.",
      detail: null,
      group: "measured",
      kind: "percent",
      better: "higher",
      description: "Share of the requests the model answered itself that were correct.",
    },
    {
      key: "successRate",
      label: "Success rate",
      shortLabel: "Success rate",
      detail: null,
      group: "measured",
      kind: "percent",
      better: "higher",
      description:
        "Arrivals answered by the model itself: errors, timeouts, degraded answers and overflows are not successes; over the phases that count.",
    },
    {
      key: "p50",
      label: "P50",
      shortLabel: "P50",
      detail: null,
      group: "measured",
      kind: "ms",
      better: "lower",
      description:
        "Median latency of the answered requests, from the intended send time (corrected for coordinated omission).",
    },
    {
      key: "p99",
      label: "P99",
      shortLabel: "P99",
      detail: null,
      group: "measured",
      kind: "ms",
      better: "lower",
      description: "99th-percentile latency of the answered requests, from the intended send time.",
    },
    {
      key: "throughput",
      label: "Throughput",
      shortLabel: "Throughput",
      detail: null,
      group: "measured",
      kind: "rate",
      better: "higher",
      description: "Successful answers per second over the phases that count.",
    },
    {
      key: "resilience",
      label: "Resilience",
      shortLabel: "Resilience",
      detail: "absolute",
      group: "resilience",
      kind: "score",
      better: "higher",
      description:
        "0–100 from the model's own SLOs and tolerances in its run, per family of SLOs: the same whatever else is selected.",
    },
    ...scoredMetrics.map(
      (metric): LeaderboardColumn => ({
        key: `norm:${metric}`,
        label: `${capitalise(METRIC_LABELS[metric])} (relative)`,
        shortLabel: SHORT_METRIC_LABELS[metric],
        detail: null,
        group: "relative",
        kind: "unit",
        better: "higher",
        description: `${capitalise(METRIC_LABELS[metric])} min–max normalised across the compared models: 1 = the best of them, 0 = the worst. A rank within this selection, not a grade.`,
      }),
    ),
    {
      key: "relative",
      label: "Relative score (rank within this selection)",
      shortLabel: "Rel. score",
      detail: null,
      group: "relative",
      kind: "score",
      better: "higher",
      description:
        "0–100: the weighted mean of the relative components. It moves when other models are selected: a rank within this selection.",
    },
    {
      key: "verdict",
      label: "SLO verdict",
      shortLabel: "SLO verdict",
      detail: null,
      group: "verdict",
      kind: "verdict",
      better: null,
      description:
        "The run's hypothesis judged for this model: pass, warn (within tolerance), fail, no data, or invalid (its data cannot support a verdict).",
    },
  ];

  const standings = prepareStandings(entries, options.standings ?? []);
  const reference = entries.find((entry) => entry.runIndex === 1 && entry.role === "candidate") ?? null;
  const rawOf = (entry: ComparedEntry): Record<string, number | null> => {
    const { target } = metricsOf(entry);
    const score = scores.find((item) => item.id === entry.key);
    const values: Record<string, number | null> = {
      rank: standings.get(entry.key)?.rank ?? null,
      answeredAccuracy: target?.answeredAccuracy ?? null,
      successRate: target?.successRate ?? null,
      p50: target?.latencyMs.p50 ?? null,
      p99: target?.latencyMs.p99 ?? null,
      throughput: target?.throughputPerSecond ?? null,
      resilience: absoluteResilience(metricsOf(entry).run?.report, entry.target).score,
      relative: score?.score ?? null,
    };
    for (const dataset of datasets) {
      values[accuracyKey(dataset)] = dataset === entry.dataset ? (target?.accuracy ?? null) : null;
    }
    for (const component of score?.components ?? [])
      values[`norm:${component.metric}`] = component.normalised;
    return values;
  };
  const referenceValues = reference ? rawOf(reference) : null;

  const rows = entries
    .filter((entry) => entry.visible)
    .map((entry): LeaderboardRow => {
      const { run, target } = metricsOf(entry);
      const values = rawOf(entry);
      const standing = standings.get(entry.key) ?? { rank: 1, text: "tie", tiedWith: [] };
      const items = target?.items ?? null;
      const cells: Record<string, LeaderboardCell> = {};
      for (const column of columns) {
        if (column.kind === "verdict") {
          const verdict = target?.verdict ?? "no_data";
          cells[column.key] = { value: null, text: verdict, relative: null };
          continue;
        }
        if (column.kind === "rank") {
          cells[column.key] = { value: standing.rank, text: standing.text, relative: null };
          continue;
        }
        const value = values[column.key] ?? null;
        const isReference = entry.key === reference?.key;
        cells[column.key] = {
          value,
          text: formatValue(value, column.kind),
          relative:
            isReference || column.group !== "measured"
              ? null
              : relativeText(value, referenceValues?.[column.key] ?? null, column.kind),
          note:
            column.key.startsWith("accuracy") && value !== null
              ? items === null
                ? "n: no per-item record"
                : `n = ${items} items`
              : null,
        };
      }
      const score = scores.find((item) => item.id === entry.key);
      const absolute = absoluteResilience(run?.report, entry.target);
      return {
        key: entry.key,
        runId: entry.runId,
        runIndex: entry.runIndex,
        target: entry.target,
        model: entry.model,
        role: entry.role,
        label: entry.label,
        color: entry.color,
        verdict: target?.verdict ?? "no_data",
        requests: target?.requests ?? 0,
        items,
        standing,
        cells,
        resilience: {
          ...absolute,
          relative: {
            score: score?.score ?? null,
            components: (score?.components ?? []).map((component) => ({
              metric: component.metric,
              label: METRIC_LABELS[component.metric],
              raw: component.raw,
              rawText: formatValue(component.raw, METRIC_KINDS[component.metric]),
              normalised: component.normalised,
              weight: component.weight,
              effectiveWeight: component.effectiveWeight,
              points:
                component.normalised === null ? null : component.effectiveWeight * component.normalised * 100,
            })),
            note: score?.note ?? null,
          },
        },
      };
    });

  const sortColumn =
    columns.find((column) => column.key === options.sort && column.better !== null) ??
    (columns.find((column) => column.key === "resilience") as LeaderboardColumn);
  sortRows(rows, sortColumn, reference?.key ?? null);

  const visibleColumns = options.diff
    ? columns.filter(
        (column) =>
          column.group === "resilience" ||
          column.group === "rank" ||
          rows.length < 2 ||
          differs(rows.map((row) => row.cells[column.key]?.text ?? "—")),
      )
    : columns;
  return {
    columns: visibleColumns,
    hiddenColumns: columns.filter((column) => !visibleColumns.includes(column)),
    rows,
    sort: { key: sortColumn.key, label: sortColumn.label },
    reference: reference?.key ?? null,
    footnotes: leaderboardFootnotes(runs, scores[0]?.components ?? [], reference, datasets),
  };
}

/**
 * Ranks within each run from the paired verdicts of its candidate against each baseline. A
 * baseline the candidate is worse than on every decisive test ranks above it, better than, below;
 * one the tests do not separate (all inconclusive, no verdict, or split) shares the candidate's
 * rank. Models on one side are not compared with each other, so they share their rank too. A
 * shared rank reads `tie`.
 */
export function prepareStandings(
  entries: readonly ComparedEntry[],
  standings: readonly PairedStanding[],
): Map<string, Standing> {
  const result = new Map<string, Standing>();
  const runIndexes = unique(entries.map((entry) => entry.runIndex));
  for (const runIndex of runIndexes) {
    const mine = entries.filter((entry) => entry.runIndex === runIndex);
    const candidate = mine.find((entry) => entry.role === "candidate");
    const lines = standings.find((standing) => standing.runIndex === runIndex)?.lines ?? [];
    const above: ComparedEntry[] = [];
    const level: ComparedEntry[] = candidate ? [candidate] : [];
    const below: ComparedEntry[] = [];
    for (const entry of mine) {
      if (entry === candidate) continue;
      const line = lines.find((item) => item.baseline === entry.target);
      const decisive = line
        ? [line.accuracy, line.p99]
            .filter((test) => test.status === "measured" && test.verdict !== "inconclusive")
            .map((test) => test.verdict)
        : [];
      if (decisive.length > 0 && decisive.every((verdict) => verdict === "better")) below.push(entry);
      else if (decisive.length > 0 && decisive.every((verdict) => verdict === "worse")) above.push(entry);
      else level.push(entry);
    }
    let rank = 1;
    for (const group of [above, level, below]) {
      if (group.length === 0) continue;
      for (const entry of group) {
        const tiedWith = group.filter((other) => other !== entry).map((other) => other.target);
        result.set(entry.key, { rank, text: tiedWith.length ? "tie" : String(rank), tiedWith });
      }
      rank += 1;
    }
  }
  return result;
}

/**
 * A target's absolute resilience score from the run's record (an older record, which stored only
 * the min–max rank, reads with none: the record moves that rank to `resilienceRelative`).
 */
function absoluteResilience(
  report: RunReport | undefined,
  target: string,
): Pick<ResilienceBreakdown, "score" | "families" | "note"> {
  const entry = report?.resilience.find((item) => item.id === target);
  if (!entry) {
    return {
      score: null,
      families: [],
      note: report && report.resilience.length === 0 ? "no absolute score on record (older run)" : null,
    };
  }
  return {
    score: entry.score,
    families: entry.families.map((family) => ({ name: family.family, score: family.score })),
    note: entry.note,
  };
}

function sortRows(rows: LeaderboardRow[], column: LeaderboardColumn, referenceKey: string | null): void {
  const sign = column.better === "lower" ? 1 : -1;
  rows.sort((a, b) => {
    const x = a.cells[column.key]?.value ?? null;
    const y = b.cells[column.key]?.value ?? null;
    // Gaps go last whatever the direction: no data is not a best or a worst.
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) return sign * (x - y);
    if (a.key === referenceKey || b.key === referenceKey) return a.key === referenceKey ? -1 : 1;
    if (a.role !== b.role) return a.role === "candidate" ? -1 : 1;
    return a.runIndex - b.runIndex;
  });
}

/**
 * Against the reference: percentage points for rates, a relative change for latency and
 * throughput; null when there is nothing to say (no value, or no change at display precision).
 */
function relativeText(value: number | null, reference: number | null, kind: ValueKind): string | null {
  if (value === null || reference === null) return null;
  const text =
    kind === "percent"
      ? formatSigned((value - reference) * 100, 1, " pp")
      : reference === 0
        ? null
        : formatSigned(((value - reference) / reference) * 100, 0, "%");
  return text?.startsWith("±") ? null : text;
}

/** The relative score's weights as the run's own relative view used them (defaults otherwise). */
function weightsOf(report: RunReport | undefined): ResilienceWeights | undefined {
  const components = report?.resilienceRelative[0]?.components;
  if (!components || components.length === 0) return undefined;
  return Object.fromEntries(components.map((component) => [component.metric, component.weight]));
}

function leaderboardFootnotes(
  runs: readonly RunInput[],
  components: readonly { metric: ResilienceMetric; weight: number }[],
  reference: ComparedEntry | null,
  datasets: readonly string[],
): string[] {
  const weights = components
    .filter((component) => component.weight > 0)
    .map((component) => `${METRIC_LABELS[component.metric]} ${component.weight.toFixed(2)}`)
    .join(", ");
  const notes = [
    "Rank comes from the paired verdicts against the run's candidate (accuracy on distinct items, P99 by paired bootstrap): a model is ranked above or below the candidate only where they separate it; where they are inconclusive (or there is none) it reads tie.",
    "Resilience is absolute: 0–100 from each model's own SLOs and tolerances in its run, with its score per family of SLOs; it does not change with what else is selected.",
    `The relative view (rank within this selection) is min–max across every target of the selected run${runs.length > 1 ? "s" : ""} (hidden ones included, so hiding a model moves no score): for each metric, 1 is the best of them and 0 the worst (lower is better for latency); when all are equal each gets 1. Its score is their weighted mean (weights: ${weights}); a metric a model has no data for is left out and its other weights rescaled. It ranks these models against each other; it is not a grade.`,
    "Accuracy is end to end (a failed, overflowed or degraded request is wrong); n is the number of distinct items, the unit of the paired tests.",
  ];
  if (runs.length > 1) {
    notes.push(
      `Across runs, every target of every selected run is scored together, and the small figures under a value are relative to ${reference ? `${reference.label} (run #1's candidate)` : "run #1's candidate"}: percentage points for rates, per cent change for latency and throughput.`,
    );
  } else if (reference) {
    notes.push(
      `The small figures under a value are relative to the candidate ${reference.label}: percentage points for rates, per cent change for latency and throughput.`,
    );
  }
  if (datasets.length > 1) {
    notes.push(
      "The runs use different datasets: their accuracies are not comparable, and each shows in its own column.",
    );
  }
  notes.push(
    "All figures cover the phases that count (a warm-up with counts: false is left out); latency is measured from the intended send time.",
  );
  return notes;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ─── Per-phase breakdown (metrics as rows, models as columns, like MLflow's compare view) ────

export interface PhaseMetricRow {
  key: string;
  phase: string;
  /** Runs with a phase of this name (phases are matched by name across runs). */
  runIndexes: number[];
  counts: boolean;
  faulted: boolean;
  /** The phase's faults in a few words; runs that differ are separated by " | ". */
  faults: string;
  metric: "accuracy" | "successRate" | "p99";
  metricLabel: string;
  /** Per visible entry; "—" where the entry's run has no such phase or no data. */
  cells: Record<string, string>;
  /** Entries whose data in this phase cannot be judged (faults cut short, halted…). */
  invalid: string[];
}

export interface PhaseTable {
  columns: { key: string; label: string; color: string; role: Role }[];
  rows: PhaseMetricRow[];
  /** Rows hidden by "differences only". */
  hidden: number;
  /** How many runs are compared (a phase in fewer of them says so). */
  runs: number;
}

const PHASE_METRICS = [
  { metric: "accuracy", label: "Accuracy", kind: "percent" },
  { metric: "successRate", label: "Success rate", kind: "percent" },
  { metric: "p99", label: "P99", kind: "ms" },
] as const;

/**
 * Every phase × metric as a row and a column per visible model, phases matched by name across
 * runs (last week's "blur-3" beside today's), in the order they first appear. With `diff`, rows
 * where every model shows the same value are dropped (100.0% success everywhere says nothing).
 */
export function preparePhaseTable(
  runs: readonly RunInput[],
  entries: readonly ComparedEntry[],
  options: { diff?: boolean } = {},
): PhaseTable {
  const visible = entries.filter((entry) => entry.visible);
  const names = unique(runs.flatMap((run) => run.phases.map((phase) => phase.name)));
  const rows: PhaseMetricRow[] = names.flatMap((name) => {
    const found = runs.flatMap((run, index) => {
      const phase = run.phases.find((item) => item.name === name);
      return phase ? [{ run, runIndex: index + 1, phase }] : [];
    });
    const faults = unique(found.map(({ phase }) => phase.faults.map(describeFaultShort).join(", ")));
    return PHASE_METRICS.map(({ metric, label, kind }): PhaseMetricRow => {
      const cells: Record<string, string> = {};
      const invalid: string[] = [];
      for (const entry of visible) {
        const run = runs[entry.runIndex - 1];
        const report = run?.report.phases.find((row) => row.phase === name && row.target === entry.target);
        const validity = run?.report.validity.find((item) => item.phase === name);
        if (report?.valid === false || validity?.valid === false) invalid.push(entry.key);
        const value =
          metric === "accuracy"
            ? report?.accuracy
            : metric === "successRate"
              ? report?.successRate
              : report?.p99Ms;
        cells[entry.key] = formatValue(value ?? null, kind);
      }
      return {
        key: `${name}:${metric}`,
        phase: name,
        runIndexes: found.map(({ runIndex }) => runIndex),
        counts: found.some(({ phase }) => phase.counts),
        faulted: found.some(({ phase }) => phase.faults.length > 0),
        faults: faults.filter(Boolean).length > 0 ? faults.map((text) => text || "no fault").join(" | ") : "",
        metric,
        metricLabel: label,
        cells,
        invalid,
      };
    });
  });
  const kept = options.diff ? keepDifferences(rows, (row) => Object.values(row.cells)) : rows;
  return {
    columns: visible.map((entry) => ({
      key: entry.key,
      label: entry.label,
      color: entry.color,
      role: entry.role,
    })),
    rows: kept,
    hidden: rows.length - kept.length,
    runs: runs.length,
  };
}
