"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useId, useState } from "react";
import type { ApiFailureData as Failure } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { formatTimestamp } from "@/lib/format";
import { maskUrl } from "@/lib/notify/redact";
import type { ScheduleView } from "@/lib/scheduler/schedules";
import { callSchedules } from "./schedule-api";
import styles from "./schedules.module.css";

const EXAMPLES = "*/15 * * * * (every 15 minutes), 0 3 * * * (daily at 03:00), 0 3 * * 1 (Mondays)";

type OverlapPolicy = "skip" | "queue";
type WebhookFormat = "json" | "slack";

/** What the edit form starts from; the page's webhook URL is masked (origin only), so it is never sent back. */
export type EditableSchedule = Pick<
  ScheduleView,
  "id" | "cron" | "timezone" | "overlapPolicy" | "webhookUrl" | "webhookFormat"
>;

/**
 * Creates a schedule, or (given `schedule`) changes an existing one's cron, time zone, overlap policy
 * and webhook with a PATCH of the fields that changed. The API validates cron and time zone and its
 * field errors show by each field.
 */
export function ScheduleForm({
  experiments = [],
  schedule,
}: {
  experiments?: Array<{ id: string; name: string }>;
  schedule?: EditableSchedule;
}) {
  const router = useRouter();
  const editing = schedule !== undefined;
  const ids = { cron: useId(), timezone: useId(), zones: useId(), webhook: useId() };
  const [experimentId, setExperimentId] = useState(experiments[0]?.id ?? "");
  const [cron, setCron] = useState(schedule?.cron ?? "0 3 * * *");
  const [timezone, setTimezone] = useState(schedule?.timezone ?? "UTC");
  const [overlapPolicy, setOverlapPolicy] = useState<OverlapPolicy>(schedule?.overlapPolicy ?? "skip");
  const [enabled, setEnabled] = useState(true);
  // Editing: empty keeps the current webhook (shown masked), a URL replaces it.
  const [webhookUrl, setWebhookUrl] = useState("");
  const [removeWebhook, setRemoveWebhook] = useState(false);
  const [webhookFormat, setWebhookFormat] = useState<WebhookFormat>(schedule?.webhookFormat ?? "json");
  // The values last saved, to send only what changed.
  const [saved, setSaved] = useState(schedule);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The browser's own list, after hydration (the server's ICU list may differ).
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => setZones(supportedZones()), []);

  const hasWebhook = Boolean(saved?.webhookUrl) && !removeWebhook;
  const webhookInUse = Boolean(webhookUrl.trim()) || hasWebhook;

  async function create() {
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
    if (!answer.ok) return setFailure(answer);
    setDone(
      answer.data.nextRunAt
        ? `Created; next run ${formatTimestamp(answer.data.nextRunAt)}.`
        : "Created (disabled).",
    );
    router.refresh();
  }

  async function update(before: EditableSchedule) {
    const patch: Record<string, unknown> = {};
    if (cron !== before.cron) patch.cron = cron;
    if (timezone !== before.timezone) patch.timezone = timezone;
    if (overlapPolicy !== before.overlapPolicy) patch.overlapPolicy = overlapPolicy;
    if (webhookUrl.trim()) patch.webhookUrl = webhookUrl.trim();
    else if (removeWebhook && before.webhookUrl) patch.webhookUrl = null;
    if (webhookInUse && webhookFormat !== before.webhookFormat) patch.webhookFormat = webhookFormat;
    if (Object.keys(patch).length === 0) return setDone("Nothing to save: no field changed.");
    const answer = await callSchedules<ScheduleView>(
      `/api/v1/schedules/${encodeURIComponent(before.id)}`,
      "PATCH",
      patch,
    );
    if (!answer.ok) return setFailure(answer);
    const after = answer.data;
    // The API's canonical forms (single-spaced cron, the zone's canonical case).
    setCron(after.cron);
    setTimezone(after.timezone);
    setOverlapPolicy(after.overlapPolicy);
    setWebhookFormat(after.webhookFormat);
    setWebhookUrl("");
    setRemoveWebhook(false);
    // The PATCH answer reveals the webhook URL in full; the form shows only its origin, like the page.
    setSaved({ ...after, webhookUrl: after.webhookUrl ? maskUrl(after.webhookUrl) : null });
    setDone(
      after.enabled && after.nextRunAt
        ? `Saved; next run ${formatTimestamp(after.nextRunAt)}.`
        : "Saved (the schedule is disabled).",
    );
    router.refresh();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    setDone(null);
    try {
      await (saved ? update(saved) : create());
    } finally {
      setPending(false);
    }
  }

  const fieldError = (name: string) => failure?.fields[name];
  const errorId = (id: string) => `${id}-error`;

  return (
    <form onSubmit={(event) => void submit(event)} aria-label={editing ? "Edit schedule" : "New schedule"}>
      <div className={styles.form}>
        {editing ? null : (
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
        )}
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
            aria-describedby={fieldError("cron") ? errorId(ids.cron) : `${ids.cron}-hint`}
          />
          {fieldError("cron") ? (
            <span id={errorId(ids.cron)} className={styles.fieldError}>
              {fieldError("cron")}
            </span>
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
            aria-describedby={fieldError("timezone") ? errorId(ids.timezone) : undefined}
          />
          <datalist id={ids.zones}>
            <option value="UTC" />
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {fieldError("timezone") ? (
            <span id={errorId(ids.timezone)} className={styles.fieldError}>
              {fieldError("timezone")}
            </span>
          ) : null}
        </label>
        <label className={styles.field}>
          When the previous run is still going
          <select
            value={overlapPolicy}
            onChange={(event) => setOverlapPolicy(event.target.value as OverlapPolicy)}
            aria-invalid={fieldError("overlapPolicy") ? true : undefined}
          >
            <option value="skip">skip this firing</option>
            <option value="queue">queue another run</option>
          </select>
          {fieldError("overlapPolicy") ? (
            <span className={styles.fieldError}>{fieldError("overlapPolicy")}</span>
          ) : null}
        </label>
        <label className={styles.field} htmlFor={ids.webhook}>
          {editing ? "New webhook (optional)" : "Webhook (optional)"}
          <input
            id={ids.webhook}
            type="url"
            value={webhookUrl}
            placeholder="https://hooks.slack.com/services/…"
            onChange={(event) => setWebhookUrl(event.target.value)}
            aria-invalid={fieldError("webhookUrl") ? true : undefined}
            aria-describedby={fieldError("webhookUrl") ? errorId(ids.webhook) : `${ids.webhook}-hint`}
          />
          {fieldError("webhookUrl") ? (
            <span id={errorId(ids.webhook)} className={styles.fieldError}>
              {fieldError("webhookUrl")}
            </span>
          ) : (
            <span id={`${ids.webhook}-hint`} className={styles.hint}>
              {editing
                ? saved?.webhookUrl
                  ? `Now ${saved.webhookUrl}; leave empty to keep it.`
                  : "None now; called when a run fails its hypothesis, aborts or errors."
                : "Called when a run fails its hypothesis, aborts or errors."}
            </span>
          )}
        </label>
        <label className={styles.field}>
          Webhook format
          <select
            value={webhookFormat}
            onChange={(event) => setWebhookFormat(event.target.value as WebhookFormat)}
            disabled={!webhookInUse}
          >
            <option value="json">generic JSON</option>
            <option value="slack">Slack</option>
          </select>
        </label>
        {editing ? (
          saved?.webhookUrl ? (
            <label className={styles.checkbox}>
              <input
                type="checkbox"
                checked={removeWebhook}
                disabled={Boolean(webhookUrl.trim())}
                onChange={(event) => setRemoveWebhook(event.target.checked)}
              />
              Remove the webhook
            </label>
          ) : null
        ) : (
          <label className={styles.checkbox}>
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
            Enabled
          </label>
        )}
      </div>
      <div className={styles.actions}>
        <button
          type="submit"
          className={`button ${styles.primary}`}
          disabled={pending || (!editing && !experimentId)}
        >
          {editing ? (pending ? "Saving…" : "Save changes") : pending ? "Creating…" : "Create schedule"}
        </button>
        {done ? (
          <span className={styles.saved} role="status">
            {done}
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
