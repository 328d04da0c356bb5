// Run notifications, the sending side: when a run has ended failed, invalid, aborted or errored, one
// pg-boss job per webhook (the schedule's, else FAULTLINE_WEBHOOK_URL) on a queue of its own
// with retries and backoff. The first delivery row (attempt 1, pending until tried) doubles as
// the "already notified" mark, so calling this twice for a run never notifies twice.
import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";
import type { PrismaClient } from "../db/prisma";
import { type Env, env } from "../env";
import { ensureQueue } from "../scheduler/queue";
import {
  buildWebhookPayload,
  type NotificationEvent,
  type WebhookFormat,
  type WebhookPayload,
} from "./payload";
import { redactUrl } from "./redact";

export const NOTIFY_QUEUE = "run-notification";

export interface Webhook {
  url: string;
  format: WebhookFormat;
}

/** pg-boss retry settings: retries after the first attempt, delay in seconds, exponential backoff. */
export interface RetryPolicy {
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
}

/** Six attempts over about 5–10 minutes (10–20 s, 20–40 s, … 160–320 s apart, jittered by pg-boss). */
export const DEFAULT_RETRY: RetryPolicy = { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true };

/** An attempt that outlives this is failed by pg-boss (and retried); the POST itself times out sooner. */
const ATTEMPT_EXPIRE_SECONDS = 60;

export interface NotificationJob {
  runId: string;
  scheduleId: string | null;
  event: NotificationEvent;
  url: string;
  format: WebhookFormat;
  payload: WebhookPayload;
}

const created = new WeakSet<PgBoss>();

/** pg-boss 10 needs a queue before send or work. */
export async function ensureNotificationQueue(boss: PgBoss): Promise<void> {
  if (created.has(boss)) return;
  await ensureQueue(boss, NOTIFY_QUEUE, {
    name: NOTIFY_QUEUE,
    retryLimit: DEFAULT_RETRY.retryLimit,
    retryDelay: DEFAULT_RETRY.retryDelaySeconds,
    retryBackoff: DEFAULT_RETRY.retryBackoff,
    expireInSeconds: ATTEMPT_EXPIRE_SECONDS,
  });
  created.add(boss);
}

/** The webhook for runs whose schedule names none: FAULTLINE_WEBHOOK_URL, in FAULTLINE_WEBHOOK_FORMAT. */
export function fallbackWebhookOf(settings: Env): Webhook | null {
  return settings.FAULTLINE_WEBHOOK_URL
    ? { url: settings.FAULTLINE_WEBHOOK_URL, format: settings.FAULTLINE_WEBHOOK_FORMAT }
    : null;
}

/** Where links in notifications point: FAULTLINE_WEB_URL, else http://HOST:PORT. */
export function webUrlOf(settings: Env): string {
  return settings.FAULTLINE_WEB_URL ?? `http://${settings.HOST}:${settings.PORT}`;
}

export interface NotifyOptions {
  prisma: PrismaClient;
  boss: PgBoss;
  /** Base of the links in the message. Default: webUrlOf(env()). */
  webUrl?: string;
  /** For runs without a schedule webhook. Default: fallbackWebhookOf(env()); null for none. */
  fallbackWebhook?: Webhook | null;
  retry?: Partial<RetryPolicy>;
  log?: (message: string) => void;
}

export type NotifyResult =
  | { outcome: "enqueued"; event: NotificationEvent; jobId: string; url: string }
  | {
      outcome: "skipped";
      reason: "run_not_found" | "not_notifiable" | "no_webhook" | "already_notified";
      event?: NotificationEvent;
    };

/**
 * Call once a run has reached its final status (any status: passed and still-running runs are
 * ignored). Reads the run, and when it failed, was invalid, aborted or errored queues its
 * notification (the payload reads the run's record through readRunRecord).
 * `url` in the result is redacted.
 */
export async function notifyRunEnded(runId: string, options: NotifyOptions): Promise<NotifyResult> {
  const { prisma, boss } = options;
  const log = options.log ?? (() => {});
  const run = await prisma.run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      trigger: true,
      scheduleId: true,
      startedAt: true,
      endedAt: true,
      error: true,
      verdict: true,
      summary: true,
      residual: true,
      experiment: { select: { id: true, name: true } },
      experimentVersion: { select: { version: true } },
      schedule: { select: { webhookUrl: true, webhookFormat: true } },
    },
  });
  if (!run) return { outcome: "skipped", reason: "run_not_found" };
  const payload = buildWebhookPayload(
    {
      id: run.id,
      status: run.status,
      trigger: run.trigger,
      scheduleId: run.scheduleId,
      experiment: { ...run.experiment, version: run.experimentVersion.version },
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      error: run.error,
      verdict: run.verdict,
      summary: run.summary,
      residual: run.residual,
    },
    options.webUrl ?? webUrlOf(env()),
  );
  if (!payload) return { outcome: "skipped", reason: "not_notifiable" };
  const { event } = payload;

  const scheduleUrl = run.schedule?.webhookUrl?.trim();
  const webhook: Webhook | null = scheduleUrl
    ? { url: scheduleUrl, format: run.schedule?.webhookFormat ?? "json" }
    : options.fallbackWebhook === undefined
      ? fallbackWebhookOf(env())
      : options.fallbackWebhook;
  if (!webhook) return { outcome: "skipped", reason: "no_webhook", event };

  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const key = `notify\n${run.id}\n${webhook.url}`;
  // One job id per (run, url), so a job sent twice is inserted once.
  const jobId = deterministicUuid(key);
  await ensureNotificationQueue(boss);
  // The lock makes check-then-send safe against a concurrent call for the same run and URL. The
  // job goes out before the row is written: a crash in between leaves a job (whose worker writes
  // the row), never a row that blocks notifying without a job behind it.
  const sent = await prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`select 1 as locked from pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      const existing = await tx.notificationDelivery.findFirst({
        where: { runId: run.id, url: webhook.url },
        select: { id: true },
      });
      if (existing) return false;
      await boss.send(
        NOTIFY_QUEUE,
        {
          runId: run.id,
          scheduleId: run.scheduleId,
          event,
          url: webhook.url,
          format: webhook.format,
          payload,
        } satisfies NotificationJob,
        {
          id: jobId,
          retryLimit: retry.retryLimit,
          retryDelay: retry.retryDelaySeconds,
          retryBackoff: retry.retryBackoff,
          expireInSeconds: ATTEMPT_EXPIRE_SECONDS,
        },
      );
      await tx.notificationDelivery.create({
        data: {
          runId: run.id,
          scheduleId: run.scheduleId,
          event,
          url: webhook.url,
          format: webhook.format,
          attempt: 1,
          status: "pending",
        },
      });
      return true;
    },
    { timeout: 30_000 },
  );
  if (!sent) return { outcome: "skipped", reason: "already_notified", event };
  log(`[notify] run ${run.id} ${event}: ${webhook.format} webhook ${redactUrl(webhook.url)} queued`);
  return { outcome: "enqueued", event, jobId, url: redactUrl(webhook.url) };
}

/** A UUID-shaped digest of the key (version nibble 8: custom), stable across processes. */
function deterministicUuid(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
