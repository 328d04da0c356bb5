import { requireRole } from "@/lib/auth/access";
import { route } from "@/lib/http/route";
import { metricsNeedAuth, renderMetrics } from "@/lib/observability/collect";
import { METRICS_CONTENT_TYPE } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

/** A viewer, unless FAULTLINE_METRICS_AUTH=off (then Prometheus scrapes without a token). */
const metricsAccess = async (request: Request) =>
  metricsNeedAuth() ? requireRole(request, "viewer") : undefined;

/** Prometheus text exposition: inference requests, faults, halt, queue depths, runs, process. */
export const GET = route(
  { role: metricsAccess },
  async () =>
    new Response(await renderMetrics(), {
      headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
    }),
);
