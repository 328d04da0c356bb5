import { getFault, stopFault } from "@/lib/chaos/control";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: IdParams }, async ({ params }) => getFault(params.id));

/** Stops a fault now. */
export const DELETE = route({ role: "operator", params: IdParams }, async ({ params, actor }) =>
  stopFault(params.id, actor),
);
