"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { formatSecondsLeft, secondsLeft } from "@/lib/dashboard/faults/leases";
import type { ActiveFaults as ActiveFaultsData } from "@/lib/dashboard/overview/load";
import { formatTimestamp } from "@/lib/format";
import { ConfirmDialog } from "./confirm-dialog";
import styles from "./overview.module.css";

type Action = "halt" | "arm";

interface HaltAnswer {
  faultsEnded: number;
  toxicsRemoved: number;
  proxyError?: string;
}

/**
 * Every active fault lease and the kill switch. Halt is always there (also with no fault active:
 * it also clears proxy toxics and stops new faults); Arm appears once chaos is halted.
 */
export function ActiveFaults({
  data,
  renderedAt,
  controlDenied = null,
}: {
  data: ActiveFaultsData;
  renderedAt: number;
  /** Why this viewer may not halt or arm (a role below operator), or null when they may. */
  controlDenied?: string | null;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ status: number; code: string; message: string } | null>(null);
  const [notice, setNotice] = useState<{ text: string; warning: boolean } | null>(null);
  const now = useNow(renderedAt);

  // A lease that runs out is gone from the runtime: reload the list rather than show "expiring".
  const expired = data.faults.some((fault) => secondsLeft(fault.expiresAt, now) === 0);
  const refreshed = useRef(false);
  useEffect(() => {
    if (!expired) {
      refreshed.current = false;
      return;
    }
    if (refreshed.current) return;
    refreshed.current = true;
    const timer = setTimeout(() => router.refresh(), 500);
    return () => clearTimeout(timer);
  }, [expired, router]);

  async function run(action: Action) {
    setBusy(true);
    setFailure(null);
    const result = await callApi<HaltAnswer>(`/api/v1/faults/${action}`, { method: "POST" });
    setBusy(false);
    setConfirming(null);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    if (action === "halt") {
      const { faultsEnded, toxicsRemoved, proxyError } = result.data;
      const ended = `Halted: ${plural(faultsEnded, "fault")} ended, ${plural(toxicsRemoved, "proxy toxic")} removed.`;
      setNotice(
        proxyError
          ? {
              text: `${ended} The proxy could not be reached, so its toxics may remain: ${proxyError}`,
              warning: true,
            }
          : { text: ended, warning: false },
      );
    } else setNotice({ text: "Armed: faults may start again.", warning: false });
    router.refresh();
  }

  return (
    <section className={styles.faults} aria-label="Active faults">
      <div className={styles.faultsHeader}>
        <h2 className="section-title">Active faults</h2>
        <div className={styles.actions}>
          {data.halted ? (
            <button
              type="button"
              className="button"
              disabled={controlDenied !== null}
              title={controlDenied ?? undefined}
              onClick={() => setConfirming("arm")}
            >
              Arm chaos
            </button>
          ) : null}
          <button
            type="button"
            className={`button ${styles.danger}`}
            disabled={controlDenied !== null}
            title={controlDenied ?? undefined}
            onClick={() => setConfirming("halt")}
          >
            Halt chaos
          </button>
        </div>
      </div>
      {controlDenied ? <p className="muted small">{controlDenied}</p> : null}
      {data.halted ? (
        <p className={styles.halted} role="status" aria-label="Chaos halted">
          <strong>Chaos is halted.</strong> No fault can start (drills with faults fail to start) until an
          operator arms it again.
        </p>
      ) : null}
      {notice ? (
        <p className={notice.warning ? styles.warning : styles.notice} role="status">
          {notice.text}
        </p>
      ) : null}
      <ApiFailure failure={failure} />
      {data.error ? (
        <p role="alert" className={styles.error}>
          The chaos runtime could not be read: {data.error}
        </p>
      ) : data.faults.length === 0 ? (
        <p className="muted">
          No fault is active{data.halted ? "" : ": runs start their faults phase by phase"}.
        </p>
      ) : (
        <table className="table" aria-label="Active fault leases">
          <thead>
            <tr>
              <th>Type</th>
              <th>Hits</th>
              <th>Parameters</th>
              <th>Started</th>
              <th>Expires in</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {data.faults.map((fault) => (
              <tr key={fault.id}>
                <td>
                  <code>{fault.type}</code>{" "}
                  <span className={`badge badge-${fault.layer === "network" ? "info" : "muted"}`}>
                    {fault.layer}
                  </span>
                </td>
                <td>
                  {fault.runId ? (
                    <>
                      <Link prefetch={false} href={`/runs/${fault.runId}`}>
                        run {fault.runId.slice(0, 8)}
                      </Link>
                      {fault.scope.slice(`run ${fault.runId}`.length)}
                    </>
                  ) : (
                    fault.scope
                  )}
                </td>
                <td className={styles.params}>{fault.params}</td>
                <td>{formatTimestamp(fault.startedAt)}</td>
                <td>{formatSecondsLeft(secondsLeft(fault.expiresAt, now))}</td>
                <td>{fault.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={confirming === "halt"}
        title="Halt all faults?"
        confirmLabel="Halt all faults"
        busy={busy}
        onConfirm={() => void run("halt")}
        onCancel={() => setConfirming(null)}
      >
        <p>
          Ends every active fault now ({plural(data.faults.length, "lease")}), removes the proxy toxics
          Faultline added, and refuses new faults until chaos is armed again. Drills running now lose their
          faults; one whose next phase would start a fault is aborted.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === "arm"}
        title="Arm chaos again?"
        confirmLabel="Allow faults again"
        busy={busy}
        onConfirm={() => void run("arm")}
        onCancel={() => setConfirming(null)}
      >
        <p>
          Faults may start again: drills inject their scheduled faults, and the fault API accepts new leases.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** The clock for "expires in": the server's render time first (so hydration matches), then ticking. */
function useNow(renderedAt: number): number {
  const [now, setNow] = useState(renderedAt);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
