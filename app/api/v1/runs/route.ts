import { requireRole } from "@/lib/auth/access";
import { listRuns } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request) => {
  await requireRole(request, "viewer");
  const limit = Number(new URL(request.url).searchParams.get("limit") ?? 50);
  return Response.json({ runs: await listRuns(Number.isFinite(limit) ? limit : 50) });
});
