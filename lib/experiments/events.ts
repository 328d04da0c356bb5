// A run's live events as a server-sent-event stream: progress each second (from the worker's
// heartbeat), each window as the recorder writes it, fault events as they are written, and one
// `end` event with the verdict.
import "server-only";
import { faultEventsOfRun, getRun, windowsOfRun } from "./service";

const FINAL = new Set(["passed", "failed", "aborted", "errored"]);

export function runEventStream(runId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let lastFaultAt: Date | undefined;
      let lastWindowId = 0n;
      const send = (event: string, data: unknown) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const tick = async () => {
        try {
          const run = await getRun(runId);
          for (const window of await windowsOfRun(runId, lastWindowId)) {
            const { id, ...fields } = window;
            send("window", fields);
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
          if (FINAL.has(run.status)) {
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
