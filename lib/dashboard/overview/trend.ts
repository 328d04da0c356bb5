// The overview's resilience trend: the candidate's absolute 0–100 resilience score of each finished
// run (from the run's own SLOs and tolerances, so the same whatever else is shown), one line per
// experiment (or only the selected one), against the run's end time. A run whose record has no
// absolute score for its candidate (none, or only the min–max rank older runs stored) is a gap in
// its line, never a 0. Pure: tested without a database.
import { readRunRecord } from "../../runner/run-record";

/** One finished run as the loader reads it; `summary` is runs.summary (a RunReport) or null. */
export interface TrendRun {
  runId: string;
  experiment: string;
  endedAt: string;
  summary: unknown;
}

export interface TrendPoint {
  /** The run's end, in ms since the epoch (the chart's x). */
  t: number;
  /** The candidate's resilience score, 0–100; null is a gap. */
  score: number | null;
  runId: string;
}

export interface TrendSeries {
  experiment: string;
  color: string;
  points: TrendPoint[];
}

export interface ResilienceTrend {
  /** Every experiment with a finished run, sorted: the choices of the picker. */
  experiments: string[];
  /** The experiment shown alone, or null for all of them. */
  selected: string | null;
  series: TrendSeries[];
  /** False when no shown run has a score: the chart would be empty. */
  hasScores: boolean;
  /** The x range (ms): the shown runs' end times, widened by an hour each way around a single run. */
  timeDomain: [number, number] | null;
}

/** One colour per experiment, fixed by its place among all experiments (not among those shown). */
export const TREND_COLORS = [
  "#f0883e",
  "#58a6ff",
  "#3fb950",
  "#d2a8ff",
  "#ff7b72",
  "#e3b341",
  "#79c0ff",
  "#56d364",
] as const;

export function prepareResilienceTrend(
  runs: readonly TrendRun[],
  options: { experiment?: string | null } = {},
): ResilienceTrend {
  const experiments = [...new Set(runs.map((run) => run.experiment))].sort();
  const selected = options.experiment && experiments.includes(options.experiment) ? options.experiment : null;
  const series = experiments
    .map((experiment, index) => ({ experiment, color: TREND_COLORS[index % TREND_COLORS.length] as string }))
    .filter(({ experiment }) => selected === null || experiment === selected)
    .map(({ experiment, color }) => ({
      experiment,
      color,
      points: runs
        .filter((run) => run.experiment === experiment && Number.isFinite(Date.parse(run.endedAt)))
        .map((run) => ({ t: Date.parse(run.endedAt), score: candidateScore(run.summary), runId: run.runId }))
        .sort((a, b) => a.t - b.t),
    }));
  const hasScores = series.some((line) => line.points.some((point) => point.score !== null));
  return { experiments, selected, series, hasScores, timeDomain: timeDomainOf(series) };
}

const HOUR_MS = 3_600_000;

function timeDomainOf(series: readonly TrendSeries[]): [number, number] | null {
  const times = series.flatMap((line) => line.points.map((point) => point.t));
  if (times.length === 0) return null;
  const min = Math.min(...times);
  const max = Math.max(...times);
  return min === max ? [min - HOUR_MS, max + HOUR_MS] : [min, max];
}

/**
 * The candidate's absolute resilience score in runs.summary (read through the run record), rounded
 * to 0.1; null when the record has none. Entries without `method: "slo"` are the min–max rank
 * older versions stored under the same name: a rank within one run, not a score to trend.
 */
export function candidateScore(summary: unknown): number | null {
  const report = readRunRecord({ summary, verdict: null }).report;
  const candidate = report?.targets.find((target) => target.role === "candidate")?.target;
  if (!report || candidate === undefined) return null;
  const entry = report.resilience.find((item) => item.id === candidate && item.method === "slo");
  const score = entry?.score;
  return typeof score === "number" && Number.isFinite(score) ? Math.round(score * 10) / 10 : null;
}
