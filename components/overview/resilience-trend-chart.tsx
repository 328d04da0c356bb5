"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { ResilienceTrend, TrendPoint } from "@/lib/dashboard/overview/trend";
import styles from "./overview.module.css";

const formatTick = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace("T", " ");

/**
 * The candidate's absolute resilience score per finished run: x = run end (UTC), y = 0–100, a line
 * per experiment.
 */
export function ResilienceTrendChart({ trend }: { trend: ResilienceTrend }) {
  const title = trend.selected ? `Resilience score trend of ${trend.selected}` : "Resilience score trend";
  return (
    <figure className={styles.trend} aria-label={title}>
      <LineChart
        style={{ width: "100%", height: 300 }}
        responsive
        margin={{ top: 8, right: 24, bottom: 4, left: 4 }}
      >
        <CartesianGrid stroke="#2a323d" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={trend.timeDomain ?? ["dataMin", "dataMax"]}
          tickFormatter={formatTick}
          stroke="#8b98a5"
          fontSize={12}
          allowDuplicatedCategory={false}
        />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} stroke="#8b98a5" fontSize={12} width={36} />
        <Tooltip shared={false} content={<TrendTooltip />} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {trend.series.map((line) => (
          <Line
            key={line.experiment}
            name={line.experiment}
            data={line.points}
            dataKey="score"
            stroke={line.color}
            strokeWidth={2}
            dot={{ r: 3, fill: line.color }}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
      <figcaption className={styles.caption}>
        The candidate&apos;s absolute resilience score (0–100, from the run&apos;s own SLOs and tolerances, so
        it does not depend on the baselines or on what else is shown) at the end of each finished run; a run
        without one (older runs stored only a rank against their baselines) is a gap. Times in UTC.
      </figcaption>
    </figure>
  );
}

function TrendTooltip(props: {
  active?: boolean;
  payload?: ReadonlyArray<{ name?: unknown; payload?: TrendPoint; color?: string }>;
}) {
  const entry = props.payload?.[0];
  if (!props.active || !entry?.payload) return null;
  const point = entry.payload;
  return (
    <div className={styles.tooltip}>
      <div style={{ color: entry.color }}>{String(entry.name)}</div>
      <div>score {point.score === null ? "— (none)" : point.score.toFixed(1)}</div>
      <div className="muted">
        ended {formatTick(point.t)} · run {point.runId.slice(0, 8)}
      </div>
    </div>
  );
}
