// Builds Prisma clients over node-postgres, and owns the one client (and pool) of the web process.
// Scripts, workers and tests make their own with createPrismaClient and disconnect when done.
// Not `server-only`: the data plane (lib/server/data-plane.ts) runs outside Next.js and shares
// the same client through sharedPrisma(); Next code reaches it through lib/db/client.ts's db().
import { PrismaPg } from "@prisma/adapter-pg";
import { StartupError } from "../../kernel/errors";
import { env } from "../env";
import { type Prisma, PrismaClient } from "../generated/prisma/client";

export function createPrismaClient(url: string, maxConnections = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: maxConnections }) });
}

export type { PrismaClient };
/** The client inside `$transaction(async (tx) => …)`. */
export type TransactionClient = Prisma.TransactionClient;

// On globalThis: survives Next.js dev-server module reloads, and Next's bundles and the data
// plane load this module separately but must share one pool.
const globalForPrisma = globalThis as unknown as { faultlinePrisma?: PrismaClient };

/** The process's one Prisma client (one pool), created from DATABASE_URL on first use. */
export function sharedPrisma(): PrismaClient {
  if (globalForPrisma.faultlinePrisma) return globalForPrisma.faultlinePrisma;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new StartupError(
      "database_not_configured",
      "DATABASE_URL is not set: start Faultline with `npm start`, which provides the database.",
    );
  }
  // 16: the budget the three pools this replaced had together (web 10, auth 3, chaos 3).
  globalForPrisma.faultlinePrisma = createPrismaClient(url, 16);
  return globalForPrisma.faultlinePrisma;
}
