import { requireRole } from "@/lib/auth/access";
import { getFault, stopFault } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request, context: Context) => {
  await requireRole(request, "viewer");
  return Response.json(await getFault((await context.params).id));
});

/** Stops a fault now. */
export const DELETE = withErrors(async (request, context: Context) => {
  const { actor } = await requireRole(request, "operator");
  return Response.json(await stopFault((await context.params).id, actor));
});
