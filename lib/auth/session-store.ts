// Server-side browser sessions. The cookie holds 32 random bytes; the sessions table holds only a
// SHA-256 of them, with the role, actor, API token and expiry. Every request reads the row, so
// signing out, revoking the token or expiry ends a session at once. A session signed in with the
// bootstrap admin token is hashed together with that token, so rotating it ends those sessions.
import { writeAudit } from "../audit";
import { sharedPrisma as authDb } from "../db/prisma";
import type { Principal } from "./roles";
import { generateSessionSecret, looksLikeSessionSecret, sha256 } from "./secrets";
import { SESSION_TTL_SECONDS } from "./session";

/** lastSeenAt is written at most this often per session. */
const LAST_SEEN_WRITE_MS = 60_000;

function hashes(secret: string, bootstrapToken: string) {
  return {
    /** For sessions signed in with an API token. */
    token: sha256(`faultline-session:${secret}`),
    /** For sessions signed in with the bootstrap admin token. */
    bootstrap: sha256(`faultline-session:${secret}:${sha256(bootstrapToken)}`),
  };
}

export interface SessionPrincipal extends Principal {
  sessionId: string;
  expiresAt: Date;
}

/** Opens a session for a verified caller; returns the cookie's secret (shown to nobody else). */
export async function createSession(
  principal: Principal,
  bootstrapToken: string,
  details: { client?: string } = {},
  nowMs = Date.now(),
): Promise<{ secret: string; sessionId: string; expiresAt: Date }> {
  const secret = generateSessionSecret();
  const hash = hashes(secret, bootstrapToken);
  const expiresAt = new Date(nowMs + SESSION_TTL_SECONDS * 1000);
  const db = authDb();
  const row = await db.session.create({
    data: {
      secretHash: principal.tokenId ? hash.token : hash.bootstrap,
      role: principal.role,
      actor: principal.actor,
      tokenId: principal.tokenId ?? null,
      expiresAt,
    },
    select: { id: true },
  });
  // Housekeeping: sessions that ended more than a day ago are of no further use.
  const dayAgo = new Date(nowMs - 24 * 3600_000);
  await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] },
  });
  await writeAudit(db, {
    actor: principal.actor,
    action: "session.sign_in",
    target: row.id,
    details: {
      role: principal.role,
      tokenId: principal.tokenId ?? null,
      ...(details.client ? { client: details.client } : {}),
    },
  });
  return { secret, sessionId: row.id, expiresAt };
}

/** The caller behind a session cookie, or undefined when it is unknown, expired or revoked. */
export async function findSession(
  secret: string | undefined,
  bootstrapToken: string,
  nowMs = Date.now(),
): Promise<SessionPrincipal | undefined> {
  if (!secret || !looksLikeSessionSecret(secret)) return undefined;
  const hash = hashes(secret, bootstrapToken);
  const rows = await authDb().session.findMany({
    where: { secretHash: { in: [hash.token, hash.bootstrap] } },
    select: {
      id: true,
      secretHash: true,
      role: true,
      actor: true,
      tokenId: true,
      expiresAt: true,
      lastSeenAt: true,
      revokedAt: true,
      token: { select: { revokedAt: true } },
    },
  });
  const row = rows.find((candidate) =>
    candidate.tokenId ? candidate.secretHash === hash.token : candidate.secretHash === hash.bootstrap,
  );
  if (!row || row.revokedAt || row.expiresAt.getTime() <= nowMs) return undefined;
  if (row.tokenId && (!row.token || row.token.revokedAt)) return undefined;
  if (nowMs - row.lastSeenAt.getTime() >= LAST_SEEN_WRITE_MS) {
    authDb()
      .session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(nowMs) } })
      .catch((error: unknown) =>
        console.error(`[auth] could not record session activity: ${(error as Error).message}`),
      );
  }
  return {
    role: row.role,
    actor: row.actor,
    tokenId: row.tokenId,
    via: "session",
    sessionId: row.id,
    expiresAt: row.expiresAt,
  };
}

/** Ends the session behind a cookie (sign-out). Returns who it was, when it was still open. */
export async function endSession(
  secret: string | undefined,
  bootstrapToken: string,
  details: { client?: string } = {},
): Promise<SessionPrincipal | undefined> {
  const session = await findSession(secret, bootstrapToken);
  if (!session) return undefined;
  await authDb().session.updateMany({
    where: { id: session.sessionId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  await writeAudit(authDb(), {
    actor: session.actor,
    action: "session.sign_out",
    target: session.sessionId,
    details: { role: session.role, ...(details.client ? { client: details.client } : {}) },
  });
  return session;
}
