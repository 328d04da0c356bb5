import { z } from "zod";
import { runReport } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const ReportQuery = z.object({ format: z.enum(["json", "junit"]).default("json") });

/**
 * The finished run's report, typed (`summary`, `verdict`, `residual`, as readRunRecord reads them):
 * JSON, or `?format=junit` for CI. Any run with a record has one, invalid and aborted runs included.
 */
export const GET = route(
  { role: "viewer", params: IdParams, query: ReportQuery },
  async ({ params, query }) => {
    const report = await runReport(params.id, query.format);
    if (report.format === "json") return report.body;
    return new Response(report.body, { headers: { "content-type": "application/xml; charset=utf-8" } });
  },
);
