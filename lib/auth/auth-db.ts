// The auth module's own small PostgreSQL pool: tokens, sessions and their audit rows. Not the web
// server's db() singleton, because the data plane (lib/server/data-plane.ts) checks inference
// tokens outside Next.js, where `server-only` modules cannot be loaded. One pool per process.

import { StartupError } from "../../kernel/errors";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { env } from "../env";

const globalForAuthDb = globalThis as unknown as { faultlineAuthDb?: PrismaClient };

export function authDb(): PrismaClient {
  if (globalForAuthDb.faultlineAuthDb) return globalForAuthDb.faultlineAuthDb;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new StartupError(
      "database_not_configured",
      "DATABASE_URL is not set: start Faultline with `npm start`, which provides the database.",
    );
  }
  globalForAuthDb.faultlineAuthDb = createPrismaClient(url, 3);
  return globalForAuthDb.faultlineAuthDb;
}

/** Who did what to which token or session: one audit_events row. Never pass a secret in `details`. */
export async function recordAudit(
  actor: string,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await authDb().auditEvent.create({ data: { actor, action, target, details: details as object } });
}
