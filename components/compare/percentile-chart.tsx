"use client";

import { CartesianGrid, Legend, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { PercentileCurves } from "@/lib/dashboard/compare/curves";
import { formatMs } from "@/lib/dashboard/compare/format";
import styles from "./compare.module.css";
import { type ChartSeries, seriesLines } from "./series-lines";

/**
 * Latency percentile curves overlaid: x on a "nines" scale (p50, p90, p99, p99.9, p99.99 evenly
 * spaced), y in ms, one line per model, from its windows' histograms merged over counted phases.
 */
export function PercentileChart({
  curves,
  series,
  clock,
}: {
  curves: PercentileCurves;
  series: ChartSeries[];
  clock: "latency" | "service";
}) {
  const ticks = curves.points.map((point) => point.x);
  const labelOf = (x: unknown) => curves.points.find((point) => point.x === x)?.label ?? String(x);
  return (
    <figure className={styles.chart} aria-label="Latency percentiles">
      <figcaption>
        Latency percentiles{" "}
        <span className="muted small">
          {clock === "latency"
            ? "from the intended send time (corrected)"
            : "from the actual send time (service)"}
        </span>
      </figcaption>
      <LineChart
        responsive
        data={curves.points}
        style={{ width: "100%", height: 320 }}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
      >
        <CartesianGrid stroke="#2a323d" strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          domain={[Math.min(...ticks), Math.max(...ticks)]}
          ticks={ticks}
          tickFormatter={labelOf}
          stroke="#8b98a5"
        />
        <YAxis tickFormatter={(value: number) => formatMs(value)} stroke="#8b98a5" width={64} />
        <Tooltip
          contentStyle={{ background: "#161b22", border: "1px solid #2a323d" }}
          labelFormatter={labelOf}
          formatter={(value) => (typeof value === "number" ? formatMs(value) : "—")}
        />
        <Legend itemSorter={null} />
        {seriesLines(series)}
      </LineChart>
    </figure>
  );
}
