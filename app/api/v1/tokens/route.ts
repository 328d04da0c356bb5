import { z } from "zod";
import { AppError } from "@/kernel/errors";
import { ROLES, requireRole } from "@/lib/auth/access";
import { createApiToken, listApiTokens } from "@/lib/auth/tokens";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

const CreateToken = z.strictObject({
  name: z.string().trim().min(1, "name must not be empty").max(100, "name is at most 100 characters"),
  role: z.enum(ROLES),
});

/** Every API token (never the secrets): name, role, prefix, created, last used, revoked. Admin. */
export const GET = withErrors(async (request) => {
  await requireRole(request, "admin");
  return Response.json({ tokens: await listApiTokens() }, { headers: NO_STORE });
});

/** Creates a token `{ name, role }`; the answer carries the token itself, the only time it is shown. Admin. */
export const POST = withErrors(async (request) => {
  const principal = await requireRole(request, "admin");
  const parsed = CreateToken.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      "invalid_token_request",
      `Send \`{ "name": "<who it is for>", "role": "viewer" | "operator" | "admin" }\`: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid body"}.`,
      400,
    );
  }
  const created = await createApiToken(parsed.data, principal);
  return Response.json(created, { status: 201, headers: NO_STORE });
});
