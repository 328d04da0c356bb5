"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ApiFailureData as Failure } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { ConfirmDialog } from "@/components/overview/confirm-dialog";
import { callSchedules } from "./schedule-api";
import styles from "./schedules.module.css";

/** Enables or disables a schedule (disabled: pg-boss no longer fires it). */
export function ScheduleToggle({ id, enabled, label }: { id: string; enabled: boolean; label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function toggle() {
    setPending(true);
    setFailure(null);
    const answer = await callSchedules(`/api/v1/schedules/${encodeURIComponent(id)}`, "PATCH", {
      enabled: !enabled,
    });
    setPending(false);
    if (!answer.ok) return setFailure(answer);
    router.refresh();
  }

  return (
    <span>
      <button
        type="button"
        className={`button ${styles.toggle}`}
        aria-pressed={enabled}
        aria-label={`${enabled ? "Disable" : "Enable"} the schedule of ${label}`}
        title={enabled ? "Enabled: click to disable" : "Disabled: click to enable"}
        onClick={() => void toggle()}
        disabled={pending}
      >
        {pending ? "…" : enabled ? "Enabled" : "Disabled"}
      </button>
      <ApiFailure failure={failure} needs="Changing schedules needs an admin sign-in." />
    </span>
  );
}

/** Deletes a schedule after a confirmation; its firing history goes with it, its runs stay. */
export function DeleteScheduleButton({
  id,
  label,
  afterDelete,
}: {
  id: string;
  label: string;
  /** Where to go once deleted; stays on the page (refreshed) when absent. */
  afterDelete?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function remove() {
    setPending(true);
    setFailure(null);
    const answer = await callSchedules(`/api/v1/schedules/${encodeURIComponent(id)}`, "DELETE");
    setPending(false);
    setOpen(false);
    if (!answer.ok) return setFailure(answer);
    if (afterDelete) router.push(afterDelete);
    else router.refresh();
  }

  return (
    <span>
      <button
        type="button"
        className={`button ${styles.danger}`}
        onClick={() => setOpen(true)}
        aria-label={`Delete the schedule of ${label}`}
      >
        Delete
      </button>
      <ConfirmDialog
        open={open}
        title="Delete this schedule?"
        confirmLabel="Delete schedule"
        busy={pending}
        onConfirm={() => void remove()}
        onCancel={() => setOpen(false)}
      >
        <p className={styles.dialogText}>
          {label} will no longer run on this schedule, and its firing history is deleted. Runs it already
          queued are kept.
        </p>
      </ConfirmDialog>
      <ApiFailure failure={failure} needs="Changing schedules needs an admin sign-in." />
    </span>
  );
}
