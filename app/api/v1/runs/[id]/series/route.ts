import { loadRunSeries } from "@/lib/dashboard/run-page/load";
import { runNotFound } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * The run page's live data as JSON: chart buckets (per target: latency percentiles on the chosen
 * clocks, success rate, throughput, accuracy, send lag), outcomes by class, progress, fault events
 * and flags. Query (read by the run page's own view parser, lenient like the page): pct=p50,p99 ·
 * clock=both|corrected|service · targets=a,b · from=&to= (seconds).
 */
export const GET = route({ role: "viewer", params: IdParams }, async ({ params, request }) => {
  const series = await loadRunSeries(params.id, new URL(request.url).searchParams);
  if (!series) throw runNotFound(params.id);
  return Response.json(series, { headers: { "cache-control": "no-store" } });
});
