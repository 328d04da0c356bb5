import { requireInferenceAccess } from "@/lib/auth/access";
import { withErrors } from "@/lib/http";
import { listCatalog } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

/** The model catalog: open like the inference API, unless FAULTLINE_INFERENCE_AUTH=token (then viewer). */
export const GET = withErrors(async (request) => {
  await requireInferenceAccess(request);
  return Response.json({ models: await listCatalog() });
});
