"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useState } from "react";
import type { ApiFailureData as Failure } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { formatTimestamp } from "@/lib/format";
import { callSchedules } from "./schedule-api";
import styles from "./schedules.module.css";

const EXAMPLES = "*/15 * * * * (every 15 minutes), 0 3 * * * (daily at 03:00), 0 3 * * 1 (Mondays)";

/** Creates a schedule; the API validates cron and time zone and its field errors show by each field. */
export function ScheduleForm({ experiments }: { experiments: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const ids = { cron: useId(), timezone: useId(), zones: useId() };
  const [experimentId, setExperimentId] = useState(experiments[0]?.id ?? "");
  const [cron, setCron] = useState("0 3 * * *");
  const [timezone, setTimezone] = useState("UTC");
  const [overlapPolicy, setOverlapPolicy] = useState<"skip" | "queue">("skip");
  const [enabled, setEnabled] = useState(true);
  const [webhookUrl, setWebhookUrl] = useState("");
  const [webhookFormat, setWebhookFormat] = useState<"json" | "slack">("json");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  // The browser's own list, after hydration (the server's ICU list may differ).
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => setZones(supportedZones()), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    setCreated(null);
    const answer = await callSchedules<{ id: string; nextRunAt: string | null }>(
      "/api/v1/schedules",
      "POST",
      {
        experimentId,
        cron,
        timezone,
        enabled,
        overlapPolicy,
        ...(webhookUrl.trim() ? { webhookUrl: webhookUrl.trim(), webhookFormat } : {}),
      },
    );
    setPending(false);
    if (!answer.ok) {
      setFailure(answer);
      return;
    }
    setCreated(
      answer.data.nextRunAt
        ? `Created; next run ${formatTimestamp(answer.data.nextRunAt)}.`
        : "Created (disabled).",
    );
    router.refresh();
  }

  const fieldError = (name: string) => failure?.fields[name];

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="New schedule">
      <div className={styles.form}>
        <label className={styles.field}>
          Experiment
          <select
            value={experimentId}
            onChange={(event) => setExperimentId(event.target.value)}
            aria-invalid={fieldError("experimentId") ? true : undefined}
          >
            {experiments.map((experiment) => (
              <option key={experiment.id} value={experiment.id}>
                {experiment.name}
              </option>
            ))}
          </select>
          {fieldError("experimentId") ? (
            <span className={styles.fieldError}>{fieldError("experimentId")}</span>
          ) : null}
        </label>
        <label className={styles.field} htmlFor={ids.cron}>
          Cron (minute hour day month weekday)
          <input
            id={ids.cron}
            type="text"
            value={cron}
            onChange={(event) => setCron(event.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={fieldError("cron") ? true : undefined}
            aria-describedby={`${ids.cron}-hint`}
          />
          {fieldError("cron") ? (
            <span className={styles.fieldError}>{fieldError("cron")}</span>
          ) : (
            <span id={`${ids.cron}-hint`} className={styles.hint}>
              {EXAMPLES}
            </span>
          )}
        </label>
        <label className={styles.field} htmlFor={ids.timezone}>
          Time zone (IANA)
          <input
            id={ids.timezone}
            type="text"
            list={ids.zones}
            value={timezone}
            onChange={(event) => setTimezone(event.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={fieldError("timezone") ? true : undefined}
          />
          <datalist id={ids.zones}>
            <option value="UTC" />
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {fieldError("timezone") ? (
            <span className={styles.fieldError}>{fieldError("timezone")}</span>
          ) : null}
        </label>
        <label className={styles.field}>
          When the previous run is still going
          <select
            value={overlapPolicy}
            onChange={(event) => setOverlapPolicy(event.target.value as "skip" | "queue")}
          >
            <option value="skip">skip this firing</option>
            <option value="queue">queue another run</option>
          </select>
        </label>
        <label className={styles.field}>
          Webhook (optional)
          <input
            type="url"
            value={webhookUrl}
            placeholder="https://hooks.slack.com/services/…"
            onChange={(event) => setWebhookUrl(event.target.value)}
            aria-invalid={fieldError("webhookUrl") ? true : undefined}
          />
          {fieldError("webhookUrl") ? (
            <span className={styles.fieldError}>{fieldError("webhookUrl")}</span>
          ) : (
            <span className={styles.hint}>Called when a run fails its hypothesis, aborts or errors.</span>
          )}
        </label>
        <label className={styles.field}>
          Webhook format
          <select
            value={webhookFormat}
            onChange={(event) => setWebhookFormat(event.target.value as "json" | "slack")}
            disabled={!webhookUrl.trim()}
          >
            <option value="json">generic JSON</option>
            <option value="slack">Slack</option>
          </select>
        </label>
        <label className={styles.checkbox}>
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Enabled
        </label>
      </div>
      <div className={styles.actions}>
        <button type="submit" className={`button ${styles.primary}`} disabled={pending || !experimentId}>
          {pending ? "Creating…" : "Create schedule"}
        </button>
        {created ? (
          <span className={styles.saved} role="status">
            {created}
          </span>
        ) : null}
      </div>
      <ApiFailure failure={failure} needs="Changing schedules needs an admin sign-in." />
    </form>
  );
}

function supportedZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}
