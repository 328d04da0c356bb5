import { getReadiness } from "@/lib/health/server-readiness";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** 200 when every check passes, 503 otherwise; the body lists each check either way. */
export const GET = route({}, async () => {
  const readiness = await getReadiness();
  return Response.json(
    { status: readiness.ready ? "ready" : "not_ready", checks: readiness.checks },
    { status: readiness.ready ? 200 : 503 },
  );
});
