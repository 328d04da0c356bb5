import { requireRole } from "@/lib/auth/access";
import { renewFault } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Extends a fault's lease: `{ ttlSeconds? }` from now. */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireRole(request, "operator");
  return Response.json(await renewFault((await context.params).id, request));
});
