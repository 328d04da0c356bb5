import { requireInferenceAccess } from "@/lib/auth/access";
import { withErrors } from "@/lib/http";
import { getModel } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

/** One model: open like the inference API, unless FAULTLINE_INFERENCE_AUTH=token (then viewer). */
export const GET = withErrors(async (request, context: { params: Promise<{ name: string }> }) => {
  await requireInferenceAccess(request);
  const { name } = await context.params;
  return Response.json(await getModel(name));
});
