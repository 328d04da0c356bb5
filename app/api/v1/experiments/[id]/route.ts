import { getExperiment } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: IdParams }, async ({ params }) =>
  getExperiment(params.id),
);
