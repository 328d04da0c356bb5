import { requireOperator } from "@/lib/auth/admin-token";
import { getFault, stopFault } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request, context: Context) => {
  await requireOperator(request);
  return Response.json(await getFault((await context.params).id));
});

/** Stops a fault now. */
export const DELETE = withErrors(async (request, context: Context) => {
  const actor = await requireOperator(request);
  return Response.json(await stopFault((await context.params).id, actor));
});
