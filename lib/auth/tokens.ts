// API tokens: created by an admin with a role, shown once, stored as a scrypt hash, revocable,
// with a last-used time. Verifying costs one scrypt per token per cache lifetime: a verified
// token is remembered (keyed by its SHA-256, never the token) and re-checked against revokedAt
// with one indexed read every few seconds, so a revocation bites within REVALIDATE_MS anywhere
// and at once in the process that revoked it.
import { AppError } from "../../kernel/errors";
import { writeAudit } from "../audit";
import { sharedPrisma as authDb } from "../db/prisma";
import { isUuid } from "../http/params";
import { type Principal, ROLES, type Role } from "./roles";
import { apiTokenPrefix, generateApiToken, hashToken, sha256, verifyTokenHash } from "./secrets";
import { createSignInLimiter, type SignInLimiter } from "./sign-in-limiter";

/** How stale a cached "this token is valid" may be before revokedAt is read again. */
export const REVALIDATE_MS = 2_000;
/** A verified token is re-hashed (scrypt) at least this often. */
const CACHE_TTL_MS = 10 * 60_000;
const CACHE_MAX = 1_000;
/** lastUsedAt is written at most this often per token. */
export const LAST_USED_WRITE_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface CachedToken {
  id: string;
  name: string;
  role: Role;
  verifiedAtMs: number;
  checkedAtMs: number;
}

interface TokenState {
  /** sha256(token) → what it proved; insertion order is recency (LRU). */
  cache: Map<string, CachedToken>;
  /** token id → when lastUsedAt was last written by this process. */
  lastUsedWrites: Map<string, number>;
  /**
   * Wrong secrets per public prefix: after a few a minute, that prefix is refused without a
   * scrypt, so knowing a prefix does not buy an attacker CPU time. A holder of the right token
   * is not locked out while it is cached (cache hits skip this).
   */
  failures: SignInLimiter;
}

// On globalThis: the data plane and Next's route handlers load this module separately.
const globalForTokens = globalThis as unknown as { faultlineTokenState?: TokenState };
function state(): TokenState {
  globalForTokens.faultlineTokenState ??= {
    cache: new Map(),
    lastUsedWrites: new Map(),
    failures: createSignInLimiter({ perClient: 10, overall: 1_000 }),
  };
  return globalForTokens.faultlineTokenState;
}

type TokenRow = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

function view(row: TokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

const VIEW_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  createdBy: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function createApiToken(
  input: { name: string; role: Role },
  creator: Principal,
): Promise<{ token: string; apiToken: ApiTokenView }> {
  if (!ROLES.includes(input.role)) throw new AppError("invalid_role", `Unknown role ${input.role}.`, 400);
  const { token, prefix } = generateApiToken();
  const row = await authDb().apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      prefix,
      tokenHash: await hashToken(token),
      createdBy: creator.actor,
    },
    select: VIEW_FIELDS,
  });
  await writeAudit(authDb(), {
    actor: creator.actor,
    action: "token.create",
    target: row.id,
    details: { name: row.name, role: row.role, prefix },
  });
  return { token, apiToken: view(row) };
}

export async function listApiTokens(): Promise<ApiTokenView[]> {
  const rows = await authDb().apiToken.findMany({ orderBy: { createdAt: "desc" }, select: VIEW_FIELDS });
  return rows.map(view);
}

export const tokenNotFound = (id: string) =>
  new AppError("token_not_found", `Token ${id} was not found.`, 404);

/** Revokes a token and ends every session signed in with it. Revoking twice is a no-op. */
export async function revokeApiToken(
  id: string,
  actor: Principal,
): Promise<{ apiToken: ApiTokenView; sessionsEnded: number }> {
  if (!isUuid(id)) throw tokenNotFound(id);
  const now = new Date();
  const result = await authDb().$transaction(async (tx) => {
    const existing = await tx.apiToken.findUnique({ where: { id }, select: VIEW_FIELDS });
    if (!existing) throw tokenNotFound(id);
    const row = existing.revokedAt
      ? existing
      : await tx.apiToken.update({ where: { id }, data: { revokedAt: now }, select: VIEW_FIELDS });
    const sessions = await tx.session.updateMany({
      where: { tokenId: id, revokedAt: null },
      data: { revokedAt: now },
    });
    return { row, sessionsEnded: sessions.count, changed: !existing.revokedAt };
  });
  forgetToken(id);
  if (result.changed) {
    await writeAudit(authDb(), {
      actor: actor.actor,
      action: "token.revoke",
      target: id,
      details: { name: result.row.name, prefix: result.row.prefix, sessionsEnded: result.sessionsEnded },
    });
  }
  return { apiToken: view(result.row), sessionsEnded: result.sessionsEnded };
}

/** Drops a token from this process's cache (after a revocation). */
function forgetToken(id: string): void {
  const { cache } = state();
  for (const [key, entry] of cache) if (entry.id === id) cache.delete(key);
}

/**
 * The caller an API token stands for, or undefined when it is malformed, unknown, revoked or
 * wrong. Never throws for a bad token; database errors propagate.
 */
export async function verifyApiToken(token: string, nowMs = Date.now()): Promise<Principal | undefined> {
  const prefix = apiTokenPrefix(token);
  if (!prefix) return undefined;
  const { cache } = state();
  const key = sha256(token);
  const cached = cache.get(key);
  if (cached && nowMs - cached.verifiedAtMs < CACHE_TTL_MS) {
    if (nowMs - cached.checkedAtMs >= REVALIDATE_MS) {
      const row = await authDb().apiToken.findUnique({
        where: { id: cached.id },
        select: { revokedAt: true },
      });
      if (!row || row.revokedAt) {
        cache.delete(key);
        return undefined;
      }
      cached.checkedAtMs = nowMs;
    }
    cache.delete(key);
    cache.set(key, cached);
    touchLastUsed(cached.id, undefined, nowMs);
    return { role: cached.role, actor: cached.name, tokenId: cached.id };
  }
  cache.delete(key);

  const { failures } = state();
  if (failures.retryAfterSeconds(prefix, nowMs) > 0) return undefined;
  const rows = await authDb().apiToken.findMany({
    where: { prefix, revokedAt: null },
    select: { id: true, name: true, role: true, tokenHash: true, lastUsedAt: true },
  });
  for (const row of rows) {
    if (!(await verifyTokenHash(token, row.tokenHash))) continue;
    cache.set(key, { id: row.id, name: row.name, role: row.role, verifiedAtMs: nowMs, checkedAtMs: nowMs });
    while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
    touchLastUsed(row.id, row.lastUsedAt, nowMs);
    return { role: row.role, actor: row.name, tokenId: row.id };
  }
  if (rows.length > 0) failures.recordFailure(prefix, nowMs);
  return undefined;
}

/** Records a use, at most once per LAST_USED_WRITE_MS per token and process; never fails the request. */
function touchLastUsed(id: string, stored: Date | null | undefined, nowMs: number): void {
  const { lastUsedWrites } = state();
  const last = lastUsedWrites.get(id) ?? stored?.getTime() ?? 0;
  if (nowMs - last < LAST_USED_WRITE_MS) return;
  lastUsedWrites.set(id, nowMs);
  if (lastUsedWrites.size > CACHE_MAX) lastUsedWrites.delete(lastUsedWrites.keys().next().value as string);
  authDb()
    .apiToken.updateMany({ where: { id, revokedAt: null }, data: { lastUsedAt: new Date(nowMs) } })
    .catch((error: unknown) => {
      lastUsedWrites.delete(id);
      console.error(`[auth] could not record a use of token ${id}: ${(error as Error).message}`);
    });
}
