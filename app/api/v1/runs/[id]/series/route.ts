import { AppError } from "@/kernel/errors";
import { requireRole } from "@/lib/auth/access";
import { loadRunSeries } from "@/lib/dashboard/run-page";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * The run page's live data as JSON: chart buckets (per target: latency percentiles on the chosen
 * clocks, success rate, throughput, accuracy, send lag), outcomes by class, progress, fault events
 * and flags. Query: pct=p50,p99 · clock=both|corrected|service · targets=a,b · from=&to= (seconds).
 */
export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  const id = (await context.params).id;
  const series = await loadRunSeries(id, new URL(request.url).searchParams);
  if (!series) throw new AppError("run_not_found", `No run has id ${id}.`, 404);
  return Response.json(series, { headers: { "cache-control": "no-store" } });
});
