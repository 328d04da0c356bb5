import { listRuns } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request) => {
  const limit = Number(new URL(request.url).searchParams.get("limit") ?? 50);
  return Response.json({ runs: await listRuns(Number.isFinite(limit) ? limit : 50) });
});
