import { requireRole } from "@/lib/auth/access";
import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  return Response.json(await getRun((await context.params).id));
});
