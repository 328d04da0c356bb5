"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { ConfirmDialog } from "@/components/overview/confirm-dialog";
import styles from "./run.module.css";

/** Abort a queued or running run, after a confirmation: its faults are rolled back, it ends `aborted`. */
export function AbortButton({
  runId,
  status,
  abortRequested,
}: {
  runId: string;
  status: string;
  abortRequested: boolean;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [requested, setRequested] = useState(abortRequested);
  const [failure, setFailure] = useState<{ status: number; code: string; message: string } | null>(null);

  async function abort() {
    setBusy(true);
    setFailure(null);
    const result = await callApi<{ status: string }>(`/api/v1/runs/${runId}/abort`, { method: "POST" });
    setBusy(false);
    setConfirming(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setRequested(true);
    router.refresh();
  }

  return (
    <div className={styles.abort}>
      <button
        type="button"
        className={`button ${styles.danger}`}
        onClick={() => setConfirming(true)}
        disabled={requested}
      >
        {requested ? "Aborting…" : "Abort run"}
      </button>
      {requested ? (
        <span role="status" className="muted small">
          Abort requested: the worker rolls back the run's faults and ends it.
        </span>
      ) : null}
      <ApiFailure failure={failure} />
      <ConfirmDialog
        open={confirming}
        title="Abort this run?"
        confirmLabel="Abort run"
        busy={busy}
        onConfirm={() => void abort()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          The run is {status}. Aborting stops its load, rolls back every fault it started, and ends it{" "}
          <code>aborted</code> with the windows recorded so far. It cannot be resumed (rerun it instead).
        </p>
      </ConfirmDialog>
    </div>
  );
}
