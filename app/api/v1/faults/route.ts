import { requireRole } from "@/lib/auth/access";
import { createFault, listFaults } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The active faults and whether chaos is halted. */
export const GET = withErrors(async (request) => {
  await requireRole(request, "viewer");
  return Response.json(await listFaults());
});

/** Starts a fault lease: `{ type, …parameters, probability?, ttlSeconds, scope, model? }`. */
export const POST = withErrors(async (request) => {
  const { actor } = await requireRole(request, "operator");
  return Response.json(await createFault(request, actor), { status: 201 });
});
