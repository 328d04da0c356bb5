// From series buckets to what one time chart draws: flat rows (x = middle of the bucket, seconds
// since the start) with one column per line, the lines (target × clock) with stable colours
// (the candidate first), and how many points are drawn. Pure and safe on server and client;
// a missing value stays null, so the line breaks instead of dropping to zero.

import type { SeriesBucket, TargetPoint } from "./types";
import { type Clock, PERCENTILE_LABEL, type PercentileKey } from "./view";

/** The candidate gets the accent colour; baselines follow in spec order. */
export const SERIES_COLORS = [
  "#f0883e",
  "#58a6ff",
  "#3fb950",
  "#bc8cff",
  "#39c5cf",
  "#ff7b72",
  "#e3b341",
  "#8b98a5",
];

export interface ChartTarget {
  name: string;
  role: "candidate" | "baseline";
}

/** Colour per target: candidate first, then the baselines in spec order; stable across charts. */
export function targetColors(targets: readonly ChartTarget[]): Record<string, string> {
  const ordered = [
    ...targets.filter((target) => target.role === "candidate"),
    ...targets.filter((target) => target.role !== "candidate"),
  ];
  return Object.fromEntries(
    ordered.map((target, index) => [target.name, SERIES_COLORS[index % SERIES_COLORS.length] as string]),
  );
}

export type ChartMetric =
  | { kind: "latency"; percentile: PercentileKey; clocks: readonly Clock[] }
  | { kind: "successRate" | "throughput" | "accuracy" | "sendLag" };

export interface ChartSeries {
  /** Column in the rows: s0, s1… (target names may hold dots, which recharts reads as paths). */
  key: string;
  label: string;
  target: string;
  color: string;
  dashed: boolean;
}

export type ChartRow = { x: number; second: number; seconds: number } & Record<string, number | null>;

export interface TimeChartData {
  rows: ChartRow[];
  series: ChartSeries[];
  /** Values drawn (non-null cells): grows as windows arrive. */
  points: number;
}

export const CHART_TITLES: Readonly<Record<Exclude<ChartMetric["kind"], "latency">, string>> = {
  successRate: "Success rate",
  throughput: "Throughput",
  accuracy: "Accuracy (end to end)",
  sendLag: "Generator send lag",
};

export function chartTitle(metric: ChartMetric): string {
  return metric.kind === "latency"
    ? `${PERCENTILE_LABEL[metric.percentile]} latency`
    : CHART_TITLES[metric.kind];
}

export function prepareTimeChart(
  buckets: readonly SeriesBucket[],
  metric: ChartMetric,
  targets: readonly string[],
  colors: Readonly<Record<string, string>>,
): TimeChartData {
  const lines: Array<ChartSeries & { value: (point: TargetPoint) => number | null }> = [];
  for (const target of targets) {
    const color = colors[target] ?? (SERIES_COLORS.at(-1) as string);
    const add = (label: string, dashed: boolean, value: (point: TargetPoint) => number | null) =>
      lines.push({ key: `s${lines.length}`, label, target, color, dashed, value });
    if (metric.kind === "latency") {
      const both = metric.clocks.length > 1;
      for (const clock of metric.clocks) {
        const label = both ? `${target} (${clock})` : target;
        add(
          label,
          clock === "service",
          (point) => (clock === "corrected" ? point.latencyMs : point.serviceMs)[metric.percentile] ?? null,
        );
      }
    } else if (metric.kind === "successRate") add(target, false, (point) => point.successRate);
    else if (metric.kind === "throughput") add(target, false, (point) => point.throughputPerSecond);
    else if (metric.kind === "accuracy") add(target, false, (point) => point.accuracy);
    else add(target, false, (point) => point.maxSendLagMs);
  }
  let points = 0;
  const rows = buckets.map((bucket) => {
    const row: ChartRow = {
      x: bucket.second + bucket.seconds / 2,
      second: bucket.second,
      seconds: bucket.seconds,
    };
    for (const line of lines) {
      const point = bucket.targets[line.target];
      const value = point ? line.value(point) : null;
      row[line.key] = value;
      if (value !== null) points += 1;
    }
    return row;
  });
  return { rows, series: lines.map(({ value: _value, ...series }) => series), points };
}

/** Axis and tooltip text for a metric's values. */
export function formatMetric(kind: ChartMetric["kind"], value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (kind) {
    case "successRate":
    case "accuracy":
      return `${(value * 100).toFixed(value >= 0.9995 || value === 0 ? 0 : 1)}%`;
    case "throughput":
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} ok/s`;
    default:
      return value >= 1000
        ? `${(value / 1000).toFixed(2)} s`
        : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  }
}

/** "0:00", "1:05", "1:00:00": seconds since the start on the time axis. */
export function formatElapsed(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
