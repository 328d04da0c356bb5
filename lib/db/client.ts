// The Prisma client singleton for the web server. Server-only: pages and route handlers reach the
// database through lib/ services that import this module, never directly.
import "server-only";
import { StartupError } from "../../kernel/errors";
import { env } from "../env";
import { createPrismaClient, type PrismaClient } from "./prisma";

// Survives Next.js dev-server module reloads, which would otherwise open a new pool per edit.
const globalForPrisma = globalThis as unknown as { faultlinePrisma?: PrismaClient };

export function db(): PrismaClient {
  if (globalForPrisma.faultlinePrisma) return globalForPrisma.faultlinePrisma;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new StartupError(
      "database_not_configured",
      "DATABASE_URL is not set: start Faultline with `npm start`, which provides the database.",
    );
  }
  globalForPrisma.faultlinePrisma = createPrismaClient(url);
  return globalForPrisma.faultlinePrisma;
}
