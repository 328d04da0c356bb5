import { requireRole } from "@/lib/auth/access";
import { withErrors } from "@/lib/http";
import { metricsNeedAuth, renderMetrics } from "@/lib/observability/collect";
import { METRICS_CONTENT_TYPE } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition: inference requests, faults, halt, queue depths, runs, process. */
export const GET = withErrors(async (request) => {
  if (metricsNeedAuth()) await requireRole(request, "viewer");
  return new Response(await renderMetrics(), {
    headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
  });
});
