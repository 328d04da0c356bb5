"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { type ApiResult, callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import styles from "./experiments.module.css";

type Failure = Extract<ApiResult<unknown>, { ok: false }>;

/**
 * Queues a run of the experiment's current version, then opens the run's page. Given `specYaml`
 * instead of an id (a shipped drill not saved yet), saves it first.
 */
export function LaunchButton(props: { name: string; experimentId?: string; specYaml?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function launch() {
    setPending(true);
    setFailure(null);
    let experimentId = props.experimentId;
    if (experimentId === undefined) {
      const saved = await saveSpec(props.specYaml ?? "");
      if (!saved.ok) return fail(saved);
      experimentId = saved.data.experiment.id;
    }
    const run = await launchRun(experimentId);
    if (!run.ok) return fail(run);
    router.push(`/runs/${run.data.id}`);
  }

  function fail(result: Failure) {
    setPending(false);
    setFailure(result);
  }

  return (
    <span>
      <button
        type="button"
        className={`button ${styles.primary}`}
        onClick={() => void launch()}
        disabled={pending}
        aria-label={`Launch ${props.name}`}
      >
        {pending ? "Launching…" : "Launch"}
      </button>
      <ApiFailure failure={failure} />
    </span>
  );
}

export interface SaveAnswer {
  experiment: { id: string; name: string; currentVersion: number };
  version: { version: number };
  created: boolean;
}

/** Saves YAML spec text: a new experiment, or the next version of the one with its name. */
export function saveSpec(yaml: string) {
  return callApi<SaveAnswer>("/api/v1/experiments", {
    method: "POST",
    body: yaml,
    contentType: "application/yaml",
  });
}

export function launchRun(experimentId: string) {
  return callApi<{ id: string }>(`/api/v1/experiments/${encodeURIComponent(experimentId)}/runs`, {
    method: "POST",
    body: JSON.stringify({ trigger: "manual" }),
  });
}
