"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { TimeChart } from "@/components/charts/time-chart";
import {
  type ChartMetric,
  type ChartTarget,
  chartTitle,
  formatElapsed,
  prepareTimeChart,
} from "@/lib/dashboard/run-page/charts";
import { isLive, prepareProgress } from "@/lib/dashboard/run-page/model";
import type { PhaseBand, RunSeries } from "@/lib/dashboard/run-page/types";
import type { RunView } from "@/lib/dashboard/run-page/view";
import { ErrorBreakdown } from "./error-breakdown";
import { FaultTimeline } from "./fault-timeline";
import styles from "./run.module.css";
import { RunFlagsBanner } from "./run-flags";
import { RunProgress } from "./run-progress";
import { useRunView } from "./use-run-view";

/** At most one re-fetch of the series per this many ms while windows stream in. */
const REFRESH_MS = 1500;

/**
 * The part of the run page that moves while the run goes on: progress, flags, the time charts,
 * the outcomes by class and the fault events. While the run is queued or running it listens to
 * the run's server-sent events and re-fetches /series (throttled) as windows and fault events
 * arrive; on `end` it re-renders the whole page (router.refresh()) with the final state.
 */
export function RunLive({
  initial,
  view,
  search,
  bands,
  targets,
  colors,
}: {
  initial: RunSeries;
  view: RunView;
  search: string;
  bands: PhaseBand[];
  targets: ChartTarget[];
  colors: Record<string, string>;
}) {
  const router = useRouter();
  const { setView } = useRunView(view);
  const [series, setSeries] = useState(initial);
  const [previousInitial, setPreviousInitial] = useState(initial);
  const [connection, setConnection] = useState<"idle" | "live" | "reconnecting" | "ended">(
    isLive(initial.status) ? "live" : "idle",
  );
  // A server re-render (router.refresh, a new view) brings newer data: take it unless ours is newer.
  if (initial !== previousInitial) {
    setPreviousInitial(initial);
    if (Date.parse(initial.readAt) >= Date.parse(series.readAt)) setSeries(initial);
  }

  const runId = initial.runId;
  const inFlight = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastFetch = useRef(0);
  const again = useRef(false);

  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    lastFetch.current = Date.now();
    try {
      const response = await fetch(`/api/v1/runs/${runId}/series${search}`, {
        cache: "no-store",
        credentials: "same-origin",
      });
      if (response.ok) {
        const next = (await response.json()) as RunSeries;
        setSeries((current) => (Date.parse(next.readAt) >= Date.parse(current.readAt) ? next : current));
      }
    } catch {
      // A missed refresh is harmless: the next event schedules another.
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        schedule.current();
      }
    }
  }, [runId, search]);

  const schedule = useRef(() => {});
  schedule.current = () => {
    if (timer.current) return;
    const wait = Math.max(0, REFRESH_MS - (Date.now() - lastFetch.current));
    timer.current = setTimeout(() => {
      timer.current = null;
      void refresh();
    }, wait);
  };

  // Held in refs so that a server re-render (new props) does not reopen the stream. The page
  // rendered the series already: the stream starts at the latest window (`after=latest`), and a
  // reconnect resumes from the last window id the browser saw (Last-Event-ID).
  const statusRef = useRef(initial.status);
  const bandsRef = useRef(bands);
  bandsRef.current = bands;
  const live = isLive(initial.status);
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/api/v1/runs/${runId}/events?after=latest`);
    const onData = () => schedule.current();
    source.addEventListener("window", onData);
    source.addEventListener("fault", onData);
    source.addEventListener("progress", (event) => {
      setConnection("live");
      const data = JSON.parse((event as MessageEvent<string>).data) as { status: string; progress: unknown };
      setSeries((current) => ({
        ...current,
        status: data.status,
        progress: prepareProgress(data.progress, {
          plannedSeconds: current.plannedSeconds,
          bands: bandsRef.current,
          status: data.status,
        }),
      }));
      // queued → running: the header (status, started) is the server's to render.
      if (data.status !== statusRef.current) {
        statusRef.current = data.status;
        router.refresh();
      }
    });
    source.addEventListener("end", () => {
      source.close();
      setConnection("ended");
      void refresh().finally(() => router.refresh());
    });
    source.onerror = () => setConnection((current) => (current === "ended" ? current : "reconnecting"));
    return () => {
      source.close();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [live, runId, refresh, router]);

  const onZoom = (from: number, to: number) => setView({ from, to });
  const charts: ChartMetric[] = [
    ...series.percentiles.map((percentile) => ({
      kind: "latency" as const,
      percentile,
      clocks: series.clocks,
    })),
    { kind: "successRate" },
    { kind: "throughput" },
    { kind: "accuracy" },
    { kind: "sendLag" },
  ];
  const subtitle = (metric: ChartMetric) => {
    if (metric.kind === "latency") {
      return series.clocks.length > 1
        ? "solid: corrected (from intended send) · dashed: service (from actual send)"
        : series.clocks[0] === "corrected"
          ? "corrected: from the intended send time"
          : "service: from the actual send time";
    }
    if (metric.kind === "throughput") return "ok answers per second";
    if (metric.kind === "sendLag") return "worst lag of the generator behind its schedule";
    return undefined;
  };
  const nowSecond = isLive(series.status) ? series.progress.elapsedSeconds : null;
  const chartTargets = targets
    .filter((target) => series.targets.includes(target.name))
    .map((target) => target.name);
  const zoomed = series.from > 0 || series.to < series.plannedSeconds;

  return (
    <div
      className={styles.live}
      data-status={series.status}
      data-windows={series.windows}
      data-connection={connection}
    >
      <RunProgress series={series} bands={bands} connection={connection} />
      <RunFlagsBanner flags={series.flags} />
      <section aria-label="Time charts">
        <h2 className="section-title">
          Over time{" "}
          <span className="muted small">
            {zoomed
              ? `${formatElapsed(series.from)}–${formatElapsed(series.to)}`
              : `whole planned run, ${formatElapsed(series.plannedSeconds)}`}{" "}
            · {series.bucketSeconds === 1 ? "1-second windows" : `${series.bucketSeconds}-second buckets`} ·
            drag across a chart to zoom
          </span>
        </h2>
        <div className={styles.charts}>
          {charts.map((metric) => {
            const title = chartTitle(metric);
            return (
              <TimeChart
                key={title}
                title={title}
                subtitle={subtitle(metric)}
                kind={metric.kind}
                data={prepareTimeChart(series.buckets, metric, chartTargets, colors)}
                bands={bands}
                from={series.from}
                to={series.to}
                nowSecond={nowSecond}
                markers={series.halts ?? []}
                syncId={`run-${runId}`}
                onZoom={onZoom}
              />
            );
          })}
        </div>
      </section>
      <ErrorBreakdown
        rows={series.breakdown}
        colors={colors}
        zoomed={zoomed}
        from={series.from}
        to={series.to}
      />
      <FaultTimeline events={series.faultEvents} active={series.activeFaults} live={isLive(series.status)} />
    </div>
  );
}
