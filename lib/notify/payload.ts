// What a run notification says, as pure functions: the facts read from a finished run (its record
// read through readRunRecord) become the generic JSON payload, and the Slack message is a
// rendering of that payload (text + blocks). Runs that end without a usable verdict (invalid,
// aborted, errored) are notified like failed ones, with why no verdict was possible.
import { formatPercent, formatTimestamp } from "../format";
import {
  type HaltEvent,
  type InvalidReason,
  type RunVerdict,
  readRunRecord,
  type SloResult,
} from "../runner/run-record";

export type WebhookFormat = "json" | "slack";
export type NotificationEvent = "run.failed" | "run.invalid" | "run.aborted" | "run.errored";

const EVENTS: Readonly<Record<string, NotificationEvent>> = {
  failed: "run.failed",
  invalid: "run.invalid",
  aborted: "run.aborted",
  errored: "run.errored",
};

/** The event a run status calls for, or null when the run is fine or not finished. */
export function eventOfStatus(status: string): NotificationEvent | null {
  return EVENTS[status] ?? null;
}

/** A finished run as read from the database (verdict, summary and residual are the stored columns). */
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
  residual?: unknown;
}

export interface FailedSlo {
  phase: string;
  target: string;
  slo: string;
  observed: number | null;
  verdict: "fail";
}

/** An SLO that could not be judged: nothing measured (no_data) or not trustworthy (invalid). */
export interface UnjudgedSlo {
  phase: string;
  target: string;
  slo: string;
  observed: number | null;
  verdict: "invalid" | "no_data";
  reason: string | null;
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
  /** The run's verdict (the candidate's, over valid data): pass, warn, fail or invalid; null when it never got one. */
  verdict: RunVerdict | null;
  /** Why no verdict is possible (or what kept parts of the run from being judged). */
  invalidReasons: InvalidReason[];
  /** Kill-switch halts during the run, with who threw the switch. */
  halts: HaltEvent[];
  /** SLOs judged fail, every target, phase by phase. */
  failedSlos: FailedSlo[];
  /** SLOs that could not be judged (invalid or no_data), with the reason. */
  unjudgedSlos: UnjudgedSlo[];
  candidate: CandidateHighlights | null;
  /** Stop reason (aborted, failed by a stop condition) or error (errored); null otherwise. */
  error: string | null;
  /** The JSON report; null when the run ended before it had one. */
  reportUrl: string | null;
}

/** Where the dashboard lives, without a trailing slash. */
export function runLinks(webUrl: string, runId: string): { run: string; report: string } {
  const base = webUrl.replace(/\/+$/, "");
  return { run: `${base}/runs/${runId}`, report: `${base}/api/v1/runs/${runId}/report` };
}

const isFailed = (result: SloResult): result is SloResult & { verdict: "fail" } => result.verdict === "fail";
const isUnjudged = (result: SloResult): result is SloResult & { verdict: "invalid" | "no_data" } =>
  result.verdict === "invalid" || result.verdict === "no_data";

/** The generic JSON payload, or null when the run's status calls for no notification. */
export function buildWebhookPayload(facts: RunFacts, webUrl: string): WebhookPayload | null {
  const event = eventOfStatus(facts.status);
  if (!event) return null;
  const record = readRunRecord({ summary: facts.summary, verdict: facts.verdict, residual: facts.residual });
  const links = runLinks(webUrl, facts.id);
  const results = record.verdict?.results ?? [];
  const candidate = record.report?.targets.find((target) => target.role === "candidate");
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
    verdict: record.verdict?.verdict ?? null,
    invalidReasons: record.verdict?.invalidReasons ?? [],
    halts: record.report?.halts ?? [],
    failedSlos: results
      .filter(isFailed)
      .map(({ phase, target, slo, observed, verdict }) => ({ phase, target, slo, observed, verdict })),
    unjudgedSlos: results.filter(isUnjudged).map(({ phase, target, slo, observed, verdict, reason }) => ({
      phase,
      target,
      slo,
      observed,
      verdict,
      reason: reason ?? null,
    })),
    candidate: candidate
      ? {
          target: candidate.target,
          successRate: candidate.successRate,
          p99Ms: candidate.latencyMs.p99,
          accuracy: candidate.accuracy,
        }
      : null,
    error: facts.error ?? record.report?.stopReason ?? null,
    // The report route answers 409 until the run has a report or a verdict on record.
    reportUrl: record.report || record.verdict ? links.report : null,
  };
}

/** `halted at +34 s by ops-bot during network-latency`. */
export function describeHalt(halt: HaltEvent): string {
  const during = halt.phases.length > 0 ? ` during ${halt.phases.join(", ")}` : "";
  return `halted at +${Math.round(halt.second)} s by ${halt.actor}${during}`;
}

/** Why an invalid run has no verdict, in a line: its first halt, else its first reason. */
function whyInvalid(payload: WebhookPayload): string {
  const [halt] = payload.halts;
  if (halt) return describeHalt(halt);
  return payload.invalidReasons[0]?.message ?? payload.error ?? "no reason on record";
}

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const HEADLINES: Readonly<Record<NotificationEvent, string>> = {
  "run.failed": "failed its hypothesis",
  "run.invalid": "could not be judged",
  "run.aborted": "was aborted",
  "run.errored": "errored",
};
const EMOJI: Readonly<Record<NotificationEvent, string>> = {
  "run.failed": ":x:",
  "run.invalid": ":grey_question:",
  "run.aborted": ":octagonal_sign:",
  "run.errored": ":warning:",
};
/** Slack's limits: header 150 characters, a field 2000, a section's text 3000. */
const MAX_LIST_LINES = 10;

/** Slack's incoming-webhook message: `text` (the notification line) and `blocks` (the card). */
export function buildSlackMessage(payload: WebhookPayload): SlackMessage {
  const { run, event } = payload;
  const experiment = `${run.experiment.name} v${run.experiment.version}`;
  const failed = payload.failedSlos.length;
  const unjudged = payload.unjudgedSlos.length;
  const sloNote =
    failed + unjudged === 0
      ? ""
      : ` (${[failed ? `${failed} SLO${failed === 1 ? "" : "s"} failed` : "", unjudged ? `${unjudged} not judged` : ""].filter(Boolean).join(", ")})`;
  const headline =
    event === "run.invalid"
      ? `${escapeMrkdwn(experiment)} is INVALID: ${escapeMrkdwn(whyInvalid(payload))}`
      : `run of ${escapeMrkdwn(experiment)} ${HEADLINES[event]}`;
  const text = `Faultline: ${headline}${sloNote}. <${run.url}|Open run>`;

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
  const listSection = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    const shown = lines.slice(0, MAX_LIST_LINES).map((line) => `• ${line}`);
    const more = lines.length - MAX_LIST_LINES;
    if (more > 0) shown.push(`…and ${more} more`);
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*${title}*\n${shown.join("\n")}`, 3000) },
    });
  };
  listSection(
    "Why no verdict",
    payload.invalidReasons.map(
      (reason) => `${reason.phase ? `${escapeMrkdwn(reason.phase)}: ` : ""}${escapeMrkdwn(reason.message)}`,
    ),
  );
  listSection(
    "Halts",
    payload.halts.map((halt) => escapeMrkdwn(describeHalt(halt))),
  );
  const sloLine = (slo: FailedSlo | UnjudgedSlo) =>
    `\`${escapeMrkdwn(slo.slo)}\` ${escapeMrkdwn(slo.target)} in ${escapeMrkdwn(slo.phase)}: ${slo.observed === null ? "no data" : `observed ${round(slo.observed)}`}`;
  listSection("SLOs not met", payload.failedSlos.map(sloLine));
  listSection(
    "SLOs not judged",
    payload.unjudgedSlos.map(
      (slo) => `${sloLine(slo)} (${slo.verdict}${slo.reason ? `: ${escapeMrkdwn(slo.reason)}` : ""})`,
    ),
  );
  if (payload.error) {
    const title = event === "run.aborted" || event === "run.failed" ? "Stop reason" : "Error";
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
