// Readiness of this web server, wired to its real database and migration folder.
import "server-only";
import path from "node:path";
import { db } from "../db/client";
import { projectRoot } from "../env";
import { getModelServer } from "../inference/runtime";
import { listMigrationFiles } from "./migration-files";
import { type AppliedMigration, checkReadiness, type Readiness } from "./readiness";

export function getReadiness(): Promise<Readiness> {
  return checkReadiness({
    pingDatabase: async () => {
      await db().$queryRaw`select 1`;
    },
    listAppliedMigrations: () =>
      db().$queryRaw<AppliedMigration[]>`
        select migration_name, checksum, finished_at, rolled_back_at from _prisma_migrations`.catch(
        (error: { message?: string }) => {
          if (String(error.message).includes("_prisma_migrations")) return [];
          throw error;
        },
      ),
    listMigrationFiles: () => listMigrationFiles(path.join(projectRoot(), "prisma", "migrations")),
    listModels: async () => (await getModelServer()).status(),
  });
}
