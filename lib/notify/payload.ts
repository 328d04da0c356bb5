// What a run notification says, as pure functions: the facts read from a finished run become the
// generic JSON payload, and the Slack message is a rendering of that payload (text + blocks).
import { z } from "zod";
import { formatPercent, formatTimestamp } from "../format";

export type WebhookFormat = "json" | "slack";
export type NotificationEvent = "run.failed" | "run.aborted" | "run.errored";

const EVENTS: Readonly<Record<string, NotificationEvent>> = {
  failed: "run.failed",
  aborted: "run.aborted",
  errored: "run.errored",
};

/** The event a run status calls for, or null when the run is fine or not finished. */
export function eventOfStatus(status: string): NotificationEvent | null {
  return EVENTS[status] ?? null;
}

/** A finished run as read from the database (verdict and summary are the stored JSON). */
export interface RunFacts {
  id: string;
  status: string;
  trigger: string;
  scheduleId: string | null;
  experiment: { id: string; name: string; version: number };
  startedAt: Date | null;
  endedAt: Date | null;
  error: string | null;
  verdict: unknown;
  summary: unknown;
}

export interface FailedSlo {
  phase: string;
  target: string;
  slo: string;
  observed: number | null;
  verdict: "fail" | "no_data";
}

export interface CandidateHighlights {
  target: string;
  successRate: number | null;
  p99Ms: number | null;
  accuracy: number | null;
}

export interface WebhookPayload {
  event: NotificationEvent;
  run: {
    id: string;
    status: string;
    experiment: { id: string; name: string; version: number };
    trigger: string;
    scheduleId: string | null;
    startedAt: string | null;
    endedAt: string | null;
    url: string;
  };
  /** The run's SLO verdict (the candidate's): fail, no_data…; null when it never got one. */
  verdict: string | null;
  /** SLOs judged fail or no_data, every target, phase by phase. */
  failedSlos: FailedSlo[];
  candidate: CandidateHighlights | null;
  /** Stop reason (aborted) or error (errored); null for a plain hypothesis failure. */
  error: string | null;
  /** The JSON report; null when the run ended before it had one. */
  reportUrl: string | null;
}

// The stored JSON is read loosely: an older or partial report must still produce a notification.
const StoredVerdict = z.object({
  verdict: z.string(),
  results: z
    .array(
      z.object({
        phase: z.string(),
        target: z.string(),
        slo: z.string(),
        observed: z.number().nullable().catch(null),
        verdict: z.string(),
      }),
    )
    .catch([]),
});

const nullableNumber = z.number().nullable().optional().catch(null);
const StoredSummary = z.object({
  stopReason: z.string().nullable().optional().catch(null),
  targets: z
    .array(
      z.object({
        target: z.string(),
        role: z.string(),
        successRate: nullableNumber,
        accuracy: nullableNumber,
        latencyMs: z.object({ p99: nullableNumber }).partial().optional().catch(undefined),
      }),
    )
    .catch([]),
});

/** Where the dashboard lives, without a trailing slash. */
export function runLinks(webUrl: string, runId: string): { run: string; report: string } {
  const base = webUrl.replace(/\/+$/, "");
  return { run: `${base}/runs/${runId}`, report: `${base}/api/v1/runs/${runId}/report` };
}

/** The generic JSON payload, or null when the run's status calls for no notification. */
export function buildWebhookPayload(facts: RunFacts, webUrl: string): WebhookPayload | null {
  const event = eventOfStatus(facts.status);
  if (!event) return null;
  const verdict = StoredVerdict.safeParse(facts.verdict);
  const summary = StoredSummary.safeParse(facts.summary);
  const links = runLinks(webUrl, facts.id);
  const failedSlos: FailedSlo[] = verdict.success
    ? verdict.data.results
        .filter((result) => result.verdict === "fail" || result.verdict === "no_data")
        .map(({ phase, target, slo, observed, verdict: judged }) => ({
          phase,
          target,
          slo,
          observed: observed ?? null,
          verdict: judged as FailedSlo["verdict"],
        }))
    : [];
  const candidate = summary.success
    ? summary.data.targets.find((target) => target.role === "candidate")
    : undefined;
  return {
    event,
    run: {
      id: facts.id,
      status: facts.status,
      experiment: facts.experiment,
      trigger: facts.trigger,
      scheduleId: facts.scheduleId,
      startedAt: facts.startedAt?.toISOString() ?? null,
      endedAt: facts.endedAt?.toISOString() ?? null,
      url: links.run,
    },
    verdict: verdict.success ? verdict.data.verdict : null,
    failedSlos,
    candidate: candidate
      ? {
          target: candidate.target,
          successRate: candidate.successRate ?? null,
          p99Ms: candidate.latencyMs?.p99 ?? null,
          accuracy: candidate.accuracy ?? null,
        }
      : null,
    error: facts.error ?? (summary.success ? (summary.data.stopReason ?? null) : null),
    // The report route answers 409 until the run has a summary and a verdict.
    reportUrl: facts.summary != null && facts.verdict != null ? links.report : null,
  };
}

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const HEADLINES: Readonly<Record<NotificationEvent, string>> = {
  "run.failed": "failed its hypothesis",
  "run.aborted": "was aborted",
  "run.errored": "errored",
};
const EMOJI: Readonly<Record<NotificationEvent, string>> = {
  "run.failed": ":x:",
  "run.aborted": ":octagonal_sign:",
  "run.errored": ":warning:",
};
/** Slack's limits: header 150 characters, a field 2000, a section's text 3000. */
const MAX_SLO_LINES = 10;

/** Slack's incoming-webhook message: `text` (the notification line) and `blocks` (the card). */
export function buildSlackMessage(payload: WebhookPayload): SlackMessage {
  const { run, event } = payload;
  const experiment = `${run.experiment.name} v${run.experiment.version}`;
  const failed = payload.failedSlos.filter((slo) => slo.verdict === "fail").length;
  const missing = payload.failedSlos.length - failed;
  const sloNote =
    payload.failedSlos.length === 0
      ? ""
      : ` (${[failed ? `${failed} SLO${failed === 1 ? "" : "s"} failed` : "", missing ? `${missing} without data` : ""].filter(Boolean).join(", ")})`;
  const text = `Faultline: run of ${escapeMrkdwn(experiment)} ${HEADLINES[event]}${sloNote}. <${run.url}|Open run>`;

  const fields = [
    `*Experiment*\n${escapeMrkdwn(experiment)}`,
    `*Status*\n${run.status}${payload.verdict ? ` (verdict ${payload.verdict})` : ""}`,
    `*Trigger*\n${run.trigger}${run.scheduleId ? " (schedule)" : ""}`,
    `*Run*\n<${run.url}|${run.id.slice(0, 8)}>`,
    `*Started*\n${formatTimestamp(run.startedAt)}`,
    `*Ended*\n${formatTimestamp(run.endedAt)}`,
  ];
  if (payload.candidate) {
    const { target, successRate, p99Ms, accuracy } = payload.candidate;
    fields.push(
      `*Candidate ${escapeMrkdwn(target)}*\nsuccess ${percent(successRate)} · P99 ${ms(p99Ms)} · accuracy ${percent(accuracy)}`,
    );
  }

  const blocks: Array<Record<string, unknown>> = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`${EMOJI[event]} ${run.experiment.name}: run ${HEADLINES[event]}`, 150),
        emoji: true,
      },
    },
    { type: "section", fields: fields.map((field) => ({ type: "mrkdwn", text: truncate(field, 2000) })) },
  ];
  if (payload.failedSlos.length > 0) {
    const lines = payload.failedSlos
      .slice(0, MAX_SLO_LINES)
      .map(
        (slo) =>
          `• \`${escapeMrkdwn(slo.slo)}\` ${escapeMrkdwn(slo.target)} in ${escapeMrkdwn(slo.phase)}: ${slo.observed === null ? "no data" : `observed ${round(slo.observed)}`}`,
      );
    const more = payload.failedSlos.length - MAX_SLO_LINES;
    if (more > 0) lines.push(`…and ${more} more`);
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*SLOs not met*\n${lines.join("\n")}`, 3000) },
    });
  }
  if (payload.error) {
    const title = event === "run.aborted" ? "Stop reason" : "Error";
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*${title}*\n${escapeMrkdwn(payload.error)}`, 3000) },
    });
  }
  const buttons: Array<Record<string, unknown>> = [
    {
      type: "button",
      text: { type: "plain_text", text: "Open run" },
      url: run.url,
      style: "primary",
      action_id: "open_run",
    },
  ];
  if (payload.reportUrl)
    buttons.push({
      type: "button",
      text: { type: "plain_text", text: "Report (JSON)" },
      url: payload.reportUrl,
      action_id: "open_report",
    });
  blocks.push({ type: "actions", elements: buttons });
  return { text, blocks };
}

/** The request body for a webhook of the given format. */
export function renderWebhookBody(format: WebhookFormat, payload: WebhookPayload): string {
  return JSON.stringify(format === "slack" ? buildSlackMessage(payload) : payload);
}

/** Slack mrkdwn treats &, < and > as markup. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function percent(value: number | null): string {
  return value === null ? "—" : formatPercent(value);
}

function ms(value: number | null): string {
  return value === null ? "—" : `${round(value)} ms`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
