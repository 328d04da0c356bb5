// Builds a Prisma client over node-postgres for a given URL. The web server keeps one (client.ts);
// scripts (seed, tests) make their own and disconnect when done.
import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "../generated/prisma/client";

export function createPrismaClient(url: string, maxConnections = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: maxConnections }) });
}

export type { PrismaClient };
/** The client inside `$transaction(async (tx) => …)`. */
export type TransactionClient = Prisma.TransactionClient;
