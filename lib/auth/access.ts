// Who may do what. Three roles, each including the one below it: viewer (read), operator
// (launch, abort, faults, halt), admin (tokens, models, schedules). Every route asks here with
// the role it needs: 401 when the caller is nobody, 403 when their role is too low.
// A caller is a Bearer token (the bootstrap admin token or an API token) or a dashboard session
// cookie; a cookie-authenticated mutation must also come from the dashboard's own origin (CSRF).

import { AppError } from "../../kernel/errors";
import { env } from "../env";
import { adminToken, isAdminToken } from "./admin-token";
import { BOOTSTRAP_ACTOR, type Principal, type Role, roleAtLeast } from "./roles";
import { isSameOriginRequest, readCookie, SESSION_COOKIE } from "./session";
import { findSession } from "./session-store";
import { verifyApiToken } from "./tokens";

export { type Principal, ROLES, type Role, roleAtLeast } from "./roles";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What a token stands for (the bootstrap admin token, or a live API token), or undefined. */
export async function verifyCredential(token: string): Promise<Principal | undefined> {
  if (await isAdminToken(token)) return { role: "admin", actor: BOOTSTRAP_ACTOR, tokenId: null };
  return verifyApiToken(token);
}

/** The caller behind a dashboard session cookie's value (server components use this). */
export async function principalFromSessionCookie(value: string | undefined): Promise<Principal | undefined> {
  if (!value) return undefined;
  return findSession(value, await adminToken());
}

/**
 * The caller, or undefined for nobody. Throws 401 for a malformed or invalid Bearer header (a
 * client that sent a credential should hear that it was refused) and 403 for a cookie mutation
 * from another origin.
 */
export async function authenticate(request: Request): Promise<Principal | undefined> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new AppError("unauthorized", "The Authorization header must be `Bearer <token>`.", 401);
    }
    const principal = await verifyCredential(match[1] as string);
    if (!principal) throw new AppError("unauthorized", "The bearer token is not valid.", 401);
    return { ...principal, via: "bearer" };
  }
  const cookie = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (!cookie) return undefined;
  const session = await principalFromSessionCookie(cookie);
  if (!session) {
    throw new AppError("unauthorized", "Your dashboard session has ended: sign in again.", 401);
  }
  if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
    throw new AppError(
      "cross_origin",
      "This change came from another site with your session cookie and was refused: use the dashboard or a Bearer token.",
      403,
    );
  }
  return session;
}

/**
 * The caller, or throws 401 (nobody), 403 (role too low, or a cookie mutation from another
 * origin).
 */
export async function requireRole(request: Request, needed: Role): Promise<Principal> {
  const principal = await authenticate(request);
  if (!principal) {
    throw new AppError(
      "unauthorized",
      `This route needs the ${needed} role: sign in to the dashboard, or send \`Authorization: Bearer <token>\` (npm start prints the admin token at first start; an admin creates API tokens).`,
      401,
    );
  }
  if (!roleAtLeast(principal.role, needed)) {
    throw new AppError("forbidden", `This needs the ${needed} role; your token is ${principal.role}.`, 403);
  }
  return principal;
}

/**
 * The inference API is open unless FAULTLINE_INFERENCE_AUTH=token (then it needs a viewer).
 * The caller when one was required; undefined when the API is open.
 */
export async function requireInferenceAccess(request: Request): Promise<Principal | undefined> {
  if (env().FAULTLINE_INFERENCE_AUTH === "token") return requireRole(request, "viewer");
  return undefined;
}
