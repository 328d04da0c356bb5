// The web server's Prisma client, for Next.js code: pages and route handlers reach the database
// through lib/ services that import this module, never directly. It is the same singleton as
// lib/db/prisma.ts's sharedPrisma() (one pool per process); this module only adds the
// `server-only` guard, so client components cannot import it by accident.
import "server-only";
import { type PrismaClient, sharedPrisma } from "./prisma";

export function db(): PrismaClient {
  return sharedPrisma();
}
