import { z } from "zod";
import { ROLES } from "@/lib/auth/access";
import { createApiToken, listApiTokens } from "@/lib/auth/tokens";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

const CreateToken = z.strictObject({
  name: z.string().trim().min(1, "name must not be empty").max(100, "name is at most 100 characters"),
  role: z.enum(ROLES),
});

/** Every API token (never the secrets): name, role, prefix, created, last used, revoked. Admin. */
export const GET = route({ role: "admin" }, async () =>
  Response.json({ tokens: await listApiTokens() }, { headers: NO_STORE }),
);

/** Creates a token `{ name, role }`; the answer carries the token itself, the only time it is shown. Admin. */
export const POST = route({ role: "admin", body: CreateToken }, async ({ body, principal }) =>
  Response.json(await createApiToken(body, principal), { status: 201, headers: NO_STORE }),
);
