import { requireRole } from "@/lib/auth/access";
import { runEventStream } from "@/lib/experiments/events";
import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Server-sent events: `progress` each second, `window` and `fault` as they are written, `end` with the verdict. */
export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  const run = await getRun((await context.params).id);
  return new Response(runEventStream(run.id, request.signal), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
});
