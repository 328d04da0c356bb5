import { requireRole } from "@/lib/auth/access";
import { haltChaos } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The kill switch: ends every fault and proxy toxic Faultline created; refuses new ones until armed. */
export const POST = withErrors(async (request) =>
  Response.json(await haltChaos((await requireRole(request, "operator")).actor)),
);
