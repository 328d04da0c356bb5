"use client";

import { CartesianGrid, Legend, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { SeverityCurve } from "@/lib/dashboard/compare/curves";
import styles from "./compare.module.css";
import { type ChartSeries, seriesLines } from "./series-lines";

const percent = (value: unknown) => (typeof value === "number" ? `${(value * 100).toFixed(1)}%` : "—");

/** Accuracy against severity for one corruption: one line per model, severity 0 = the clean phase. */
export function SeverityChart({ curve, series }: { curve: SeverityCurve; series: ChartSeries[] }) {
  const title = `Accuracy vs severity: ${curve.corruption}`;
  const severities = curve.points.map((point) => point.severity);
  return (
    <figure className={styles.chart} aria-label={title}>
      <figcaption>
        {curve.corruption.replaceAll("_", " ")}{" "}
        <span className="muted small">
          accuracy by severity (0 = {curve.points[0]?.phases.join(", ") ?? "clean"})
        </span>
      </figcaption>
      <LineChart
        responsive
        data={curve.points}
        style={{ width: "100%", height: 300 }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid stroke="#2a323d" strokeDasharray="3 3" />
        <XAxis
          dataKey="severity"
          type="number"
          domain={[0, Math.max(1, ...severities)]}
          ticks={severities}
          allowDecimals={false}
          stroke="#8b98a5"
          label={{
            value: "severity",
            position: "insideBottomRight",
            offset: -4,
            fill: "#8b98a5",
            fontSize: 12,
          }}
        />
        <YAxis
          domain={[0, 1]}
          tickFormatter={(value: number) => `${Math.round(value * 100)}%`}
          stroke="#8b98a5"
          width={48}
        />
        <Tooltip
          contentStyle={{ background: "#161b22", border: "1px solid #2a323d" }}
          labelFormatter={(label) => {
            const point = curve.points.find((item) => item.severity === label);
            return `severity ${String(label)}${point ? ` (${point.phases.join(", ")})` : ""}`;
          }}
          formatter={(value) => percent(value)}
        />
        <Legend itemSorter={null} />
        {seriesLines(series)}
      </LineChart>
    </figure>
  );
}
