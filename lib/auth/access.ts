// Who may do what. Three roles, each including the one below it: viewer (read), operator
// (launch, abort, faults, halt), admin (tokens, models, schedules). Every route asks here with
// the role it needs: 401 when the caller is nobody, 403 when their role is too low.
import { AppError } from "../errors";
import { env } from "../env";
import { isSignedIn, requireOperator } from "./admin-token";

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** Who, for the audit log: a token's name, or "admin" for the bootstrap token. */
  actor: string;
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * The caller, or throws 401 (nobody), 403 (role too low, or a cookie mutation from another
 * origin). Today every valid credential is the bootstrap admin token; API tokens with their own
 * roles come next (issue 7).
 */
export async function requireRole(request: Request, needed: Role): Promise<Principal> {
  const actor = await requireOperator(request);
  const principal: Principal = { role: "admin", actor };
  if (!roleAtLeast(principal.role, needed)) {
    throw new AppError("forbidden", `This needs the ${needed} role; your token is ${principal.role}.`, 403);
  }
  return principal;
}

/** The inference API is open unless FAULTLINE_INFERENCE_AUTH=token. */
export async function requireInferenceAccess(request: Request): Promise<void> {
  if (env().FAULTLINE_INFERENCE_AUTH === "token") await requireRole(request, "viewer");
}

export { isSignedIn };
