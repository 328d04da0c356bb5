import { Line } from "recharts";

/** One model (of one run) as a line in the comparison charts. */
export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  dash: string;
  candidate: boolean;
}

/**
 * The lines of a comparison chart, one per series, read from `point.values[series.key]`; the
 * candidate drawn heavier, a missing value a gap. A function, not a component: recharts finds
 * its <Line>s among the chart's direct children.
 */
export function seriesLines(series: readonly ChartSeries[]) {
  return series.map((item) => (
    <Line
      key={item.key}
      name={item.label}
      dataKey={(point: { values: Record<string, number | null | undefined> }) =>
        point.values[item.key] ?? null
      }
      stroke={item.color}
      strokeDasharray={item.dash || undefined}
      strokeWidth={item.candidate ? 3 : 1.75}
      dot={{ r: item.candidate ? 4 : 3 }}
      isAnimationActive={false}
      connectNulls={false}
    />
  ));
}
