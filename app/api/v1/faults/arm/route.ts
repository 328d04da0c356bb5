import { requireRole } from "@/lib/auth/access";
import { armChaos } from "@/lib/chaos/control";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Re-arms chaos after a halt. */
export const POST = withErrors(async (request) =>
  Response.json(await armChaos((await requireRole(request, "operator")).actor)),
);
