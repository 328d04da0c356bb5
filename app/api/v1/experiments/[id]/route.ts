import { requireRole } from "@/lib/auth/access";
import { getExperiment } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "viewer");
  return Response.json(await getExperiment((await context.params).id));
});
