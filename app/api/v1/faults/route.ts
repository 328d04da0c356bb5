import { createFault, listFaults, MAX_CONTROL_BODY_BYTES, parseFaultBody } from "@/lib/chaos/control";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The active faults and whether chaos is halted. */
export const GET = route({ role: "viewer" }, async () => listFaults());

/** Starts a fault lease: `{ type, …parameters, probability?, ttlSeconds, scope, model? }`. */
export const POST = route(
  { role: "operator", body: parseFaultBody, maxBodyBytes: MAX_CONTROL_BODY_BYTES },
  async ({ body, actor }) => Response.json(await createFault(body, actor), { status: 201 }),
);
