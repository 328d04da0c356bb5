// A run's live events as a server-sent-event stream: progress each second (from the worker's
// heartbeat), each window as the recorder writes it, fault events as they are written, and one
// `end` event with the verdict. Window events carry their row id as the SSE `id`, so a client
// that reconnects (EventSource sends Last-Event-ID) or asks for `?after=` resumes instead of
// receiving every window of the run again.
import "server-only";
import { AppError } from "../../kernel/errors";
import { db } from "../db/client";
import { isFinalRunStatus } from "../runner/run-status";
import { faultEventsOfRun, getRun, windowsOfRun } from "./service";

/**
 * Where a client's stream starts: the Last-Event-ID header (a reconnect), else `?after=` — a
 * window id, or `latest` for only windows written from now on (a page that already rendered the
 * series). Nothing given: from the first window.
 */
export async function resolveStreamStart(runId: string, request: Request): Promise<bigint> {
  const given = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  if (given === null || given === "") return 0n;
  if (given === "latest") {
    const latest = await db().window.aggregate({ where: { arm: { runId } }, _max: { id: true } });
    return latest._max.id ?? 0n;
  }
  if (!/^\d{1,19}$/.test(given))
    throw new AppError("invalid_after", "`after` (or Last-Event-ID) must be a window id or `latest`.", 400);
  return BigInt(given);
}

export function runEventStream(
  runId: string,
  signal: AbortSignal,
  afterWindowId = 0n,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let lastFaultAt: Date | undefined;
      let lastWindowId = afterWindowId;
      const send = (event: string, data: unknown, id?: bigint) =>
        controller.enqueue(
          encoder.encode(
            `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
          ),
        );
      const tick = async () => {
        try {
          const run = await getRun(runId);
          for (const window of await windowsOfRun(runId, lastWindowId)) {
            const { id, ...fields } = window;
            send("window", fields, id);
            lastWindowId = id;
          }
          for (const event of await faultEventsOfRun(runId, lastFaultAt)) {
            send("fault", {
              event: event.event,
              faultId: event.faultId,
              type: event.fault?.type,
              at: event.at,
            });
            lastFaultAt = event.at;
          }
          if (isFinalRunStatus(run.status)) {
            send("end", { status: run.status, error: run.error, verdict: run.verdict, summary: run.summary });
            controller.close();
            return;
          }
          send("progress", { status: run.status, progress: run.progress });
          timer = setTimeout(() => void tick(), 1000);
        } catch (error) {
          controller.error(error);
        }
      };
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {}
      });
      void tick();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
