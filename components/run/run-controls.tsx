"use client";

import { type FormEvent, useId } from "react";
import { formatElapsed } from "@/lib/dashboard/run-page/charts";
import {
  CLOCK_CHOICES,
  type ClockChoice,
  PERCENTILE_LABEL,
  PERCENTILES,
  type PercentileKey,
  type RunView,
  zoomOf,
} from "@/lib/dashboard/run-page/view";
import styles from "./run.module.css";
import { useRunView } from "./use-run-view";

const CLOCK_LABELS: Record<ClockChoice, string> = {
  both: "Both clocks",
  corrected: "Corrected (from intended send)",
  service: "Service (from actual send)",
};

/** Percentiles, clock, targets and zoom: all in the URL, so the view can be shared. */
export function RunControls({
  view: current,
  targets,
  colors,
  bands,
  plannedSeconds,
}: {
  view: RunView;
  targets: Array<{ name: string; role: string }>;
  colors: Record<string, string>;
  bands: Array<{ phase: string; startSecond: number; endSecond: number; faulted: boolean }>;
  plannedSeconds: number;
}) {
  const { view, setView, pending } = useRunView(current);
  const id = useId();
  const zoom = zoomOf(view, plannedSeconds);
  const zoomed = view.from !== null || view.to !== null;
  const shownTargets = view.targets ?? targets.map((target) => target.name);

  const togglePercentile = (key: PercentileKey) => {
    const next = view.percentiles.includes(key)
      ? view.percentiles.filter((entry) => entry !== key)
      : [...view.percentiles, key].sort((a, b) => PERCENTILES.indexOf(a) - PERCENTILES.indexOf(b));
    if (next.length) setView({ percentiles: next });
  };
  const toggleTarget = (name: string) => {
    const next = shownTargets.includes(name)
      ? shownTargets.filter((entry) => entry !== name)
      : targets
          .map((target) => target.name)
          .filter((entry) => entry === name || shownTargets.includes(entry));
    if (next.length === 0) return;
    setView({ targets: next.length === targets.length ? null : next });
  };
  const submitZoom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = Number(form.get("from"));
    const to = Number(form.get("to"));
    if (Number.isFinite(from) && Number.isFinite(to) && to > from) {
      setView({ from: Math.max(0, Math.floor(from)), to: Math.min(plannedSeconds, Math.ceil(to)) });
    }
  };

  return (
    <section className={styles.controls} aria-label="Chart options" aria-busy={pending}>
      <fieldset className={styles.fieldset}>
        <legend>Latency percentiles</legend>
        {PERCENTILES.map((key) => (
          <label key={key} className={styles.check}>
            <input
              type="checkbox"
              checked={view.percentiles.includes(key)}
              onChange={() => togglePercentile(key)}
            />
            {PERCENTILE_LABEL[key]}
          </label>
        ))}
      </fieldset>
      <label className={styles.field}>
        Clock
        <select
          value={view.clock}
          onChange={(event) => setView({ clock: event.currentTarget.value as ClockChoice })}
          aria-label="Clock"
        >
          {CLOCK_CHOICES.map((clock) => (
            <option key={clock} value={clock}>
              {CLOCK_LABELS[clock]}
            </option>
          ))}
        </select>
      </label>
      <fieldset className={styles.fieldset}>
        <legend>Targets</legend>
        {targets.map((target) => (
          <label key={target.name} className={styles.check}>
            <input
              type="checkbox"
              checked={shownTargets.includes(target.name)}
              onChange={() => toggleTarget(target.name)}
            />
            <span className={styles.swatch} style={{ background: colors[target.name] }} aria-hidden="true" />
            {target.name}
            {target.role === "candidate" ? <span className="muted small"> (candidate)</span> : null}
          </label>
        ))}
      </fieldset>
      <form className={styles.zoom} onSubmit={submitZoom} aria-label="Zoom" key={`${zoom.from}-${zoom.to}`}>
        <span className={styles.zoomLabel}>Period (s)</span>
        <input
          id={`${id}-from`}
          name="from"
          type="number"
          min={0}
          max={plannedSeconds}
          defaultValue={zoom.from}
          aria-label="From second"
        />
        <span aria-hidden="true">–</span>
        <input
          name="to"
          type="number"
          min={1}
          max={plannedSeconds}
          defaultValue={zoom.to}
          aria-label="To second"
        />
        <button type="submit" className="button">
          Zoom
        </button>
        <select
          aria-label="Zoom to phase"
          value=""
          onChange={(event) => {
            const band = bands.find((entry) => entry.phase === event.currentTarget.value);
            if (band) setView({ from: band.startSecond, to: band.endSecond });
          }}
        >
          <option value="">Zoom to phase…</option>
          {bands.map((band) => (
            <option key={band.phase} value={band.phase}>
              {band.phase} ({formatElapsed(band.startSecond)}–{formatElapsed(band.endSecond)})
              {band.faulted ? " · fault" : ""}
            </option>
          ))}
        </select>
        {zoomed ? (
          <button type="button" className="button" onClick={() => setView({ from: null, to: null })}>
            Reset zoom
          </button>
        ) : null}
      </form>
      {pending ? (
        <span className={styles.pending} role="status">
          Updating…
        </span>
      ) : null}
    </section>
  );
}
