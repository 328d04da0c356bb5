import { requireRole } from "@/lib/auth/access";
import { abortRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Aborts a run: its faults are rolled back and it ends `aborted`. */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  const { actor } = await requireRole(request, "operator");
  return Response.json(await abortRun((await context.params).id, actor));
});
