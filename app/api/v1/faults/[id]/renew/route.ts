import { requireOperator } from "@/lib/auth/admin-token";
import { renewFault } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Extends a fault's lease: `{ ttlSeconds? }` from now. */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireOperator(request);
  return Response.json(await renewFault((await context.params).id, request));
});
