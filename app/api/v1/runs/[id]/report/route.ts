import { AppError } from "@/kernel/errors";
import { requireRole } from "@/lib/auth/access";
import { junitReport } from "@/lib/experiments/junit";
import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * The finished run's report, typed (`summary`, `verdict`, `residual`, as readRunRecord reads them):
 * JSON, or `?format=junit` for CI. Any run with a record has one, invalid and aborted runs included.
 */
export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  const run = await getRun((await context.params).id);
  const { report, verdict, residual } = run.record;
  const notReady = () =>
    new AppError("report_not_ready", `Run ${run.id} has no report yet (${run.status}).`, 409);
  if (new URL(request.url).searchParams.get("format") === "junit") {
    if (!verdict) throw notReady();
    const seconds =
      run.startedAt && run.endedAt ? (run.endedAt.getTime() - run.startedAt.getTime()) / 1000 : 0;
    return new Response(junitReport(run.experiment.name, verdict, seconds), {
      headers: { "content-type": "application/xml; charset=utf-8" },
    });
  }
  if (!report && !verdict) throw notReady();
  return Response.json({
    id: run.id,
    status: run.status,
    verdict,
    summary: report,
    residual,
    fingerprint: run.fingerprint,
  });
});
