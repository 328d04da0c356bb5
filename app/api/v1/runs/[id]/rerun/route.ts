import { requireRole } from "@/lib/auth/access";
import { rerun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Enqueues a run of the same spec version with the same seed (the fingerprint's inputs). */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  const { actor } = await requireRole(request, "operator");
  return Response.json(await rerun((await context.params).id, actor), { status: 201 });
});
