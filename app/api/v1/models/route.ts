import { route } from "@/lib/http/route";
import { listCatalog } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

/** The model catalog: open like the inference API, unless FAULTLINE_INFERENCE_AUTH=token (then viewer). */
export const GET = route({ role: "inference" }, async () => ({ models: await listCatalog() }));
