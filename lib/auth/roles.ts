// The three roles, each including the one below it: viewer (read), operator (launch, abort,
// faults, halt), admin (tokens, models, schedules).
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  /** Who, for the audit log: a token's name, or "admin" for the bootstrap token. */
  actor: string;
  /** The API token behind this caller; null for the bootstrap admin token. */
  tokenId?: string | null;
  /** How the caller proved it: a Bearer header or the dashboard's session cookie. */
  via?: "bearer" | "session";
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The bootstrap token's actor name in the audit log. */
export const BOOTSTRAP_ACTOR = "admin";
