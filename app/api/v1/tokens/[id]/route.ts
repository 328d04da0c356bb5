import { requireRole } from "@/lib/auth/access";
import { revokeApiToken } from "@/lib/auth/tokens";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Revokes a token and ends its sessions: `{ apiToken, sessionsEnded }`. Admin. */
export const DELETE = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  const principal = await requireRole(request, "admin");
  return Response.json(await revokeApiToken((await context.params).id, principal), {
    headers: { "cache-control": "no-store" },
  });
});
