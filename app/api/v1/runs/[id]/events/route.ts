import { requireRole } from "@/lib/auth/access";
import { resolveStreamStart, runEventStream } from "@/lib/experiments/events";
import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Server-sent events: `progress` each second, `window` (with its id as the event id) and `fault`
 * as they are written, `end` with the verdict. `?after=<window id>|latest` or Last-Event-ID skips
 * the windows a client already has.
 */
export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  const run = await getRun((await context.params).id);
  const after = await resolveStreamStart(run.id, request);
  return new Response(runEventStream(run.id, request.signal, after), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
});
