import { ModelParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { getModel } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

/** One model: open like the inference API, unless FAULTLINE_INFERENCE_AUTH=token (then viewer). */
export const GET = route({ role: "inference", params: ModelParams }, async ({ params }) =>
  getModel(params.name),
);
