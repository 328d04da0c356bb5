"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { type ApiFailureData, callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import styles from "./run.module.css";

/**
 * Queues a new run of exactly what this finished run executed (same spec version and seed), then
 * opens it. `denied` says why this viewer may not (the button stays, disabled, with the reason).
 */
export function RerunButton({ runId, denied }: { runId: string; denied: string | null }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ApiFailureData | null>(null);

  async function rerun() {
    setPending(true);
    setFailure(null);
    const result = await callApi<{ id: string }>(`/api/v1/runs/${runId}/rerun`, { method: "POST" });
    if (!result.ok) {
      setPending(false);
      setFailure(result);
      return;
    }
    router.push(`/runs/${result.data.id}`);
  }

  return (
    <div className={styles.rerun}>
      <button
        type="button"
        className="button"
        onClick={() => void rerun()}
        disabled={pending || denied !== null}
        title={denied ?? "A new run of the same spec version with the same seed"}
      >
        {pending ? "Rerunning…" : "Rerun"}
      </button>
      {denied ? <span className="muted small">{denied}</span> : null}
      <ApiFailure failure={failure} />
    </div>
  );
}
