import { revokeApiToken } from "@/lib/auth/tokens";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Revokes a token and ends its sessions: `{ apiToken, sessionsEnded }`. Admin. */
export const DELETE = route({ role: "admin", params: IdParams }, async ({ params, principal }) =>
  Response.json(await revokeApiToken(params.id, principal), { headers: { "cache-control": "no-store" } }),
);
