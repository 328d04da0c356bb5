import { resolveStreamStart, runEventStream } from "@/lib/experiments/events";
import { getRun } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Server-sent events: `progress` each second, `window` (with its id as the event id) and `fault`
 * as they are written, `end` with the verdict. `?after=<window id>|latest` or Last-Event-ID skips
 * the windows a client already has (read by resolveStreamStart, which owns that format).
 */
export const GET = route({ role: "viewer", params: IdParams }, async ({ params, request }) => {
  const run = await getRun(params.id);
  const after = await resolveStreamStart(run.id, request);
  return new Response(runEventStream(run.id, request.signal, after), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
});
