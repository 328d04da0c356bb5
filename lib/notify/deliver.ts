// Run notifications, the delivering side: a pg-boss worker on the notification queue POSTs each
// job's body to its webhook. 2xx is delivered; any other status, a network error or a timeout
// is a failed attempt, thrown so that pg-boss retries with backoff. Every attempt is a
// notification_deliveries row; URLs are secrets, so only their redacted form is ever printed.
import type PgBoss from "pg-boss";
import { describeError } from "../../kernel/errors";
import type { PrismaClient } from "../db/prisma";
import { ensureNotificationQueue, NOTIFY_QUEUE, type NotificationJob } from "./notify";
import { renderWebhookBody } from "./payload";
import { redactIn, redactUrl } from "./redact";

export interface NotificationWorkerOptions {
  prisma: PrismaClient;
  log?: (message: string) => void;
  /** Per POST, response body included. Default 10 s. */
  timeoutMs?: number;
  /** How often an idle worker looks for due notifications. Default 2 s (pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Kept of a refusing receiver's body in the delivery row: enough for Slack's `invalid_payload`. */
const BODY_EXCERPT_CHARS = 200;

/** Registers the delivery worker on this pg-boss; returns its id (for `boss.offWork({ id })`). */
export async function startNotificationWorker(
  boss: PgBoss,
  options: NotificationWorkerOptions,
): Promise<string> {
  await ensureNotificationQueue(boss);
  return boss.work<NotificationJob>(
    NOTIFY_QUEUE,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      for (const job of jobs) await deliver(job, options);
    },
  );
}

export interface PostOutcome {
  delivered: boolean;
  responseStatus: number | null;
  /** Why it failed; null when delivered. Never contains the URL's secret part. */
  error: string | null;
}

/** One POST of a JSON body; never throws. */
export async function postWebhook(
  url: string,
  body: string,
  options: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<PostOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Faultline-Webhook/1",
        ...options.headers,
      },
      body,
      // A webhook that redirects is misconfigured; following it would re-send a POST elsewhere.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => "");
    if (response.status >= 200 && response.status < 300)
      return { delivered: true, responseStatus: response.status, error: null };
    const excerpt = text.trim().slice(0, BODY_EXCERPT_CHARS);
    return {
      delivered: false,
      responseStatus: response.status,
      error: redactIn(`HTTP ${response.status}${excerpt ? `: ${excerpt}` : ""}`, url),
    };
  } catch (error) {
    return {
      delivered: false,
      responseStatus: null,
      error: redactIn(describeFetchError(error, timeoutMs), url),
    };
  }
}

async function deliver(job: PgBoss.JobWithMetadata<NotificationJob>, options: NotificationWorkerOptions) {
  const { prisma } = options;
  const log = options.log ?? (() => {});
  const { runId, url, event, format } = job.data;
  const attempt = job.retryCount + 1;
  const attempts = job.retryLimit + 1;
  const last = job.retryCount >= job.retryLimit;
  const where = `run ${runId} ${event} → ${redactUrl(url)} attempt ${attempt}/${attempts}`;

  const rowId = await claimAttemptRow(prisma, job.data, attempt);
  const outcome = await postWebhook(url, renderWebhookBody(format, job.data.payload), {
    timeoutMs: options.timeoutMs,
    headers: {
      "x-faultline-event": event,
      // The same on every attempt: a receiver that got an earlier attempt after all can drop this one.
      "x-faultline-delivery": job.id,
      "x-faultline-attempt": String(attempt),
    },
  });
  const error =
    outcome.error && `${outcome.error}${last ? ` (gave up after ${attempt} attempts)` : " (will retry)"}`;
  await prisma.notificationDelivery.update({
    where: { id: rowId },
    data: {
      status: outcome.delivered ? "delivered" : "failed",
      responseStatus: outcome.responseStatus,
      error,
      finishedAt: new Date(),
    },
  });
  if (outcome.delivered) {
    log(`[notify] ${where}: delivered (HTTP ${outcome.responseStatus})`);
    return;
  }
  log(`[notify] ${where}: ${error}`);
  throw new Error(error ?? "delivery failed");
}

/**
 * The row for this attempt: attempt 1's was written when the job was queued (the advisory lock,
 * the one notifyRunEnded holds, waits for it to be committed); later ones are created here. An
 * earlier attempt still pending never finished: its worker stopped or pg-boss expired it.
 */
async function claimAttemptRow(prisma: PrismaClient, job: NotificationJob, attempt: number): Promise<string> {
  const key = `notify\n${job.runId}\n${job.url}`;
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`select 1 as locked from pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    await tx.notificationDelivery.updateMany({
      where: { runId: job.runId, url: job.url, attempt: { lt: attempt }, status: "pending" },
      data: {
        status: "failed",
        error: "no outcome: the delivery worker stopped or the attempt expired (will retry)",
        finishedAt: new Date(),
      },
    });
    const existing = await tx.notificationDelivery.findFirst({
      where: { runId: job.runId, url: job.url, attempt },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    if (existing) return existing.id;
    const row = await tx.notificationDelivery.create({
      data: {
        runId: job.runId,
        scheduleId: job.scheduleId,
        event: job.event,
        url: job.url,
        format: job.format,
        attempt,
        status: "pending",
      },
      select: { id: true },
    });
    return row.id;
  });
}

/** fetch's errors hide the reason in `cause` ("fetch failed" → "other side closed"). */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no response within ${timeoutMs / 1000} s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(" ") : "";
  return detail ? `${describeError(error)}: ${detail}` : describeError(error);
}
