import { requireOperator } from "@/lib/auth/admin-token";
import { abortRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Aborts a run: its faults are rolled back and it ends `aborted`. */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  await requireOperator(request);
  return Response.json(await abortRun((await context.params).id));
});
