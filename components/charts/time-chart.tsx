"use client";

import { useEffect, useRef, useState } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import {
  type ChartMetric,
  formatElapsed,
  formatMetric,
  type TimeChartData,
} from "@/lib/dashboard/run-page/charts";
import type { ChartMarker } from "@/lib/dashboard/run-page/types";
import styles from "./charts.module.css";

export interface ChartBand {
  phase: string;
  startSecond: number;
  endSecond: number;
  faulted: boolean;
  faults: string[];
}

const GRID = "#2a323d";
const AXIS = "#8b98a5";
const BAND_FILL = "#8b98a5";
const FAULT_FILL = "#f85149";
const FAULT_TEXT = "#ff7b72";
const HALT = "#e3b341";

/**
 * A line chart over seconds since the start, with the run's phases shaded and labelled behind the
 * lines (faulted phases light red). Nulls break the line (a gap, not a zero). Drag across the plot
 * to zoom into a period. `data-points` on the figure counts the values drawn; `markers` (a halt)
 * are labelled vertical lines, counted in `data-markers`.
 */
export function TimeChart({
  title,
  subtitle,
  kind,
  data,
  bands,
  from,
  to,
  nowSecond,
  markers = [],
  syncId,
  height = 220,
  onZoom,
}: {
  title: string;
  subtitle?: string;
  kind: ChartMetric["kind"];
  data: TimeChartData;
  bands: readonly ChartBand[];
  from: number;
  to: number;
  /** Seconds elapsed while a run goes on: a "now" line. */
  nowSecond?: number | null;
  /** Labelled vertical lines, e.g. "halted by admin". */
  markers?: readonly ChartMarker[];
  syncId?: string;
  height?: number;
  onZoom?: (from: number, to: number) => void;
}) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const figure = useRef<HTMLElement>(null);
  const [ready, setReady] = useState(false);
  // recharts draws once it has measured its container: mark the figure when its lines are there
  // (a benchmark and the e2e tests wait for data-chart-ready="true").
  useEffect(() => {
    let frame = 0;
    const check = () => {
      const drawn = figure.current?.querySelector(
        data.points === 0 ? ".recharts-surface" : "path.recharts-curve",
      );
      if (drawn) setReady(true);
      else frame = requestAnimationFrame(check);
    };
    check();
    return () => cancelAnimationFrame(frame);
  }, [data.points]);
  const ratio = kind === "successRate" || kind === "accuracy";
  const visibleBands = bands.filter((band) => band.endSecond > from && band.startSecond < to);
  const faulted = visibleBands.filter((band) => band.faulted).map((band) => band.phase);
  const labelOf = (value: unknown) => (typeof value === "number" ? value : Number(value));
  // Without a single value recharts has no y scale and drops the bands: give an empty chart (a
  // queued run, a period without windows) an invisible zero line and a fixed domain.
  const empty = data.points === 0;
  const rows = empty ? data.rows.map((row) => ({ ...row, floor: 0 })) : data.rows;
  const span = to - from;
  const visibleMarkers = markers.filter((marker) => marker.second >= from && marker.second <= to);
  return (
    <figure
      ref={figure}
      className={styles.figure}
      aria-label={title}
      data-points={data.points}
      data-series={data.series.length}
      data-faulted-phases={faulted.join(",")}
      data-markers={visibleMarkers.map((marker) => marker.label).join(",")}
      data-chart-ready={ready}
    >
      <figcaption className={styles.caption}>
        <span className={styles.title}>{title}</span>
        {subtitle ? <span className={styles.subtitle}>{subtitle}</span> : null}
      </figcaption>
      <LineChart
        data={rows}
        responsive
        style={{ width: "100%", height }}
        margin={{ top: 18, right: 12, bottom: 0, left: 0 }}
        syncId={syncId}
        syncMethod="value"
        onMouseDown={(state) => {
          const x = labelOf(state?.activeLabel);
          if (onZoom && Number.isFinite(x)) setDrag({ start: x, end: x });
        }}
        onMouseMove={(state) => {
          const x = labelOf(state?.activeLabel);
          if (drag && Number.isFinite(x)) setDrag({ ...drag, end: x });
        }}
        onMouseUp={() => {
          if (drag && onZoom) {
            const start = Math.floor(Math.min(drag.start, drag.end));
            const end = Math.ceil(Math.max(drag.start, drag.end));
            if (end - start >= 2) onZoom(Math.max(from, start), Math.min(to, end));
          }
          setDrag(null);
        }}
        onMouseLeave={() => setDrag(null)}
      >
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        {visibleBands.map((band, index) => (
          <ReferenceArea
            key={band.phase}
            x1={Math.max(band.startSecond, from)}
            x2={Math.min(band.endSecond, to)}
            fill={band.faulted ? FAULT_FILL : BAND_FILL}
            fillOpacity={band.faulted ? 0.16 : index % 2 === 0 ? 0.05 : 0.1}
            ifOverflow="hidden"
            className={band.faulted ? "phase-band phase-band-faulted" : "phase-band"}
            label={(props: { viewBox?: { x?: number; y?: number; width?: number } }) => (
              <PhaseLabel viewBox={props.viewBox} text={band.phase} faulted={band.faulted} />
            )}
          />
        ))}
        {visibleBands
          .slice(1)
          .map((band) =>
            band.startSecond > from ? (
              <ReferenceLine key={`edge-${band.phase}`} x={band.startSecond} stroke={GRID} strokeWidth={1} />
            ) : null,
          )}
        <XAxis
          type="number"
          dataKey="x"
          domain={[from, to]}
          allowDataOverflow
          tickFormatter={(value: number) => formatElapsed(value)}
          stroke={AXIS}
          tick={{ fontSize: 11 }}
          tickCount={Math.min(8, span + 1)}
          allowDecimals={false}
        />
        <YAxis
          stroke={AXIS}
          tick={empty ? false : { fontSize: 11 }}
          width={66}
          domain={ratio || empty ? [0, 1] : [0, "auto"]}
          tickFormatter={(value: number) => formatMetric(kind, value)}
        />
        <Tooltip
          isAnimationActive={false}
          contentStyle={{ background: "#1c232c", border: `1px solid ${GRID}`, fontSize: 12 }}
          labelStyle={{ color: "#e6edf3" }}
          labelFormatter={(value) => `t = ${formatElapsed(Number(value))}`}
          formatter={(value) => formatMetric(kind, typeof value === "number" ? value : null)}
        />
        {data.series.map((series) => (
          <Line
            key={series.key}
            dataKey={series.key}
            name={series.label}
            stroke={series.color}
            strokeWidth={1.6}
            strokeDasharray={series.dashed ? "5 4" : undefined}
            dot={data.rows.length <= 90 ? { r: 1.8, strokeWidth: 0, fill: series.color } : false}
            activeDot={{ r: 3 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
        {empty ? (
          <Line
            dataKey="floor"
            stroke="none"
            dot={false}
            activeDot={false}
            legendType="none"
            tooltipType="none"
            isAnimationActive={false}
          />
        ) : null}
        {nowSecond !== null && nowSecond !== undefined && nowSecond > from && nowSecond < to ? (
          <ReferenceLine x={nowSecond} stroke="#e6edf3" strokeDasharray="2 3" strokeOpacity={0.7} />
        ) : null}
        {visibleMarkers.map((marker) => (
          <ReferenceLine
            key={`marker-${marker.second}-${marker.label}`}
            x={marker.second}
            stroke={HALT}
            strokeWidth={1.5}
            strokeDasharray="4 2"
            ifOverflow="extendDomain"
            className="chart-marker"
            label={{ value: marker.label, position: "insideTopRight", fill: HALT, fontSize: 11 }}
          />
        ))}
        {drag ? (
          <ReferenceArea
            x1={Math.min(drag.start, drag.end)}
            x2={Math.max(drag.start, drag.end)}
            fill="#58a6ff"
            fillOpacity={0.15}
          />
        ) : null}
      </LineChart>
      <ul className={styles.legend} aria-label={`${title} legend`}>
        {data.series.map((series) => (
          <li key={series.key}>
            <svg width="22" height="8" aria-hidden="true">
              <line
                x1="0"
                y1="4"
                x2="22"
                y2="4"
                stroke={series.color}
                strokeWidth="2"
                strokeDasharray={series.dashed ? "5 3" : undefined}
              />
            </svg>
            {series.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The phase's name at the top left of its band, shortened to fit; faulted ones in red. */
function PhaseLabel({
  viewBox,
  text,
  faulted,
}: {
  viewBox?: { x?: number; y?: number; width?: number };
  text: string;
  faulted: boolean;
}) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  const width = viewBox?.width ?? 0;
  const fits = Math.floor((width - 6) / 6.2);
  if (fits < 3) return null;
  const shown = text.length > fits ? `${text.slice(0, fits - 1)}…` : text;
  return (
    <text
      x={x + 4}
      y={y - 5}
      fontSize={11}
      fill={faulted ? FAULT_TEXT : AXIS}
      fontWeight={faulted ? 600 : 400}
      className={faulted ? "phase-label phase-label-faulted" : "phase-label"}
      data-phase={text}
    >
      {shown === text ? null : <title>{text}</title>}
      {shown}
    </text>
  );
}
