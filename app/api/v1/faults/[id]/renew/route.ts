import { MAX_CONTROL_BODY_BYTES, RenewBody, renewFault } from "@/lib/chaos/control";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Extends a fault's lease: `{ ttlSeconds? }` from now (the body is optional). */
export const POST = route(
  {
    role: "operator",
    params: IdParams,
    body: RenewBody,
    emptyBodyAs: {},
    maxBodyBytes: MAX_CONTROL_BODY_BYTES,
  },
  async ({ params, body }) => renewFault(params.id, body),
);
