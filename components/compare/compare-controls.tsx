"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useState, useTransition } from "react";
import { type CompareParams, compareHref, MAX_COMPARED_RUNS } from "@/lib/dashboard/compare/params";
import styles from "./compare.module.css";

export interface ControlTarget {
  name: string;
  color: string;
  role: "candidate" | "baseline";
}

export interface AddableRun {
  id: string;
  label: string;
}

/**
 * What to compare, kept in the URL so a view can be shared: the models shown, "differences only",
 * the latency clock, and runs added side by side.
 */
export function CompareControls({
  params,
  targets,
  addable,
}: {
  params: CompareParams;
  targets: ControlTarget[];
  addable: AddableRun[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The controls show the new selection at once; the page catches up when the server answers.
  const [current, setCurrent] = useOptimistic(params);
  const [toAdd, setToAdd] = useState(addable[0]?.id ?? "");
  const go = (change: Partial<CompareParams>) =>
    startTransition(() => {
      setCurrent({ ...current, ...change });
      router.push(compareHref(current, change), { scroll: false });
    });

  const shown = (name: string) => current.targets === null || current.targets.includes(name);
  const toggleTarget = (name: string, on: boolean) => {
    const next = targets.map((target) => target.name).filter((other) => (other === name ? on : shown(other)));
    go({ targets: next.length === targets.length ? null : next });
  };
  const shownCount = targets.filter((target) => shown(target.name)).length;

  return (
    <section className={styles.controls} aria-label="Comparison settings">
      <fieldset>
        <legend>Models</legend>
        {targets.map((target) => (
          <label key={target.name}>
            <input
              type="checkbox"
              checked={shown(target.name)}
              disabled={shown(target.name) && shownCount === 1}
              onChange={(event) => toggleTarget(target.name, event.currentTarget.checked)}
            />
            <span className={styles.swatch} style={{ background: target.color }} aria-hidden="true" />
            {target.name}
            {target.role === "candidate" ? <span className="muted small">(candidate)</span> : null}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>View</legend>
        <label>
          <input
            type="checkbox"
            role="switch"
            className={styles.switch}
            checked={current.diff}
            aria-checked={current.diff}
            onChange={(event) => go({ diff: event.currentTarget.checked })}
          />
          Differences only
        </label>
        <label>
          Latency clock
          <select
            value={current.clock}
            onChange={(event) =>
              go({ clock: event.currentTarget.value === "service" ? "service" : "latency" })
            }
          >
            <option value="latency">from intended send (corrected)</option>
            <option value="service">from actual send (service time)</option>
          </select>
        </label>
      </fieldset>
      {addable.length > 0 && current.runIds.length < MAX_COMPARED_RUNS ? (
        <fieldset>
          <legend>Side by side</legend>
          <select
            aria-label="Run to add"
            value={toAdd}
            onChange={(event) => setToAdd(event.currentTarget.value)}
          >
            {addable.map((run) => (
              <option key={run.id} value={run.id}>
                {run.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={!toAdd}
            onClick={() => go({ runIds: [...current.runIds, toAdd] })}
          >
            Add run
          </button>
        </fieldset>
      ) : null}
      {pending ? (
        <span className={styles.pending} role="status">
          Updating…
        </span>
      ) : null}
    </section>
  );
}
