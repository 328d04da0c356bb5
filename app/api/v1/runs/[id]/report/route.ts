import { requireRole } from "@/lib/auth/access";
import { AppError } from "@/lib/errors";
import { junitReport } from "@/lib/experiments/junit";
import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";
import type { SloReport } from "@/lib/metrics/slo";

export const dynamic = "force-dynamic";

/** The finished run's report: JSON, or `?format=junit` for CI. */
export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  const run = await getRun((await context.params).id);
  if (!run.summary || !run.verdict) {
    throw new AppError("report_not_ready", `Run ${run.id} has no report yet (${run.status}).`, 409);
  }
  if (new URL(request.url).searchParams.get("format") === "junit") {
    const seconds =
      run.startedAt && run.endedAt ? (run.endedAt.getTime() - run.startedAt.getTime()) / 1000 : 0;
    return new Response(junitReport(run.experiment.name, run.verdict as unknown as SloReport, seconds), {
      headers: { "content-type": "application/xml; charset=utf-8" },
    });
  }
  return Response.json({
    id: run.id,
    status: run.status,
    verdict: run.verdict,
    summary: run.summary,
    fingerprint: run.fingerprint,
  });
});
