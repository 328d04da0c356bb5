// Faultline's migrations, offline: Prisma's own schema engine (WebAssembly) driven through
// @prisma/adapter-pg. Same folder layout and `_prisma_migrations` rows as the Prisma CLI, with no
// native engine to download. Plain TypeScript: used by scripts/db.ts, the launcher and tests.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { HistoryDiagnostic, MigrationList, SchemaFilter } from "@prisma/schema-engine-wasm";
import { z } from "zod";
import { describeError } from "../../../kernel/errors";
import { readMigrationRows, withClient, withMigrationLock } from "./connection";
import { MigrationError } from "./errors";
import { asMigrationError, assertHistoryApplicable, explainApplyFailure } from "./failures";
import {
  LOCKFILE_CONTENT,
  migrationTimestamp,
  normaliseMigrationName,
  readMigrationList,
  writeMigration,
} from "./migrations-folder";
import { withSchemaEngine } from "./schema-engine";

export { MigrationError, type MigrationErrorCode } from "./errors";

const PostgresUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a PostgreSQL URL (postgresql://…)");
const FolderPath = z.string().min(1, "must name a folder");
const FilePath = z.string().min(1, "must name a file");

/** Faultline manages every table and enum of its database. */
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export const ApplyMigrationsOptions = z.object({
  databaseUrl: PostgresUrl,
  migrationsDir: FolderPath,
  onProgress: z.custom<(message: string) => void>((value) => typeof value === "function").optional(),
});
export type ApplyMigrationsOptions = z.infer<typeof ApplyMigrationsOptions>;

export interface ApplyMigrationsResult {
  /** Folder names applied by this call, oldest first; [] when the database was up to date. */
  applied: string[];
}

/**
 * Applies every pending migration, each atomically, oldest first. Safe to call from several
 * processes at once: they queue on an advisory lock and the later ones find nothing to do.
 * Refuses to run over a failed migration (as `prisma migrate deploy` does) or over an applied
 * one whose file was edited since: the database would no longer match the folder.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { databaseUrl, migrationsDir, onProgress } = parseOptions(ApplyMigrationsOptions, options);
  const progress = onProgress ?? (() => {});
  const migrationsList = await readMigrationList(migrationsDir);
  return withClient(databaseUrl, (client) =>
    withMigrationLock(
      client,
      () => progress("Waiting for another process that is applying migrations…"),
      async () => {
        const failedLogs = new Map(
          (await readMigrationRows(client))
            .filter((row) => row.finishedAt === null && row.rolledBackAt === null)
            .map((row) => [row.migrationName, row.logs]),
        );
        try {
          return await withSchemaEngine(
            { databaseUrl, onLog: (message) => reportApplying(message, progress) },
            async ({ engine }) => {
              const diagnosis = await engine.diagnoseMigrationHistory({
                migrationsList,
                optInToShadowDatabase: false,
                filters: NO_FILTERS,
              });
              assertHistoryApplicable(diagnosis, failedLogs);
              const unknown = unpersistedNames(diagnosis.history);
              if (unknown.length > 0) {
                progress(`Applied to the database but missing from ${migrationsDir}: ${unknown.join(", ")}`);
              }
              const { appliedMigrationNames } = await engine.applyMigrations({
                migrationsList,
                filters: NO_FILTERS,
              });
              return { applied: appliedMigrationNames };
            },
          );
        } catch (error) {
          throw explainApplyFailure(error);
        }
      },
    ),
  );
}

function reportApplying(engineMessage: string, progress: (message: string) => void): void {
  const name = /^Applying `([^`]+)`/.exec(engineMessage)?.[1];
  if (name) progress(`Applying ${name}`);
}

export const MigrationStatusOptions = z.object({
  databaseUrl: PostgresUrl,
  migrationsDir: FolderPath,
});
export type MigrationStatusOptions = z.infer<typeof MigrationStatusOptions>;

export interface MigrationStatus {
  /** Finished migrations recorded in the database, in the order they were applied. */
  applied: string[];
  /** In the folder, not applied yet. */
  pending: string[];
  /** Recorded as failed (and not rolled back): they block every later migration. */
  failed: string[];
  /** Applied, but migration.sql no longer matches the checksum recorded then. */
  modified: string[];
  /** Recorded in the database, missing from the folder. */
  unknownInDb: string[];
}

/** Compares the migrations folder with the database's history; changes nothing. */
export async function getMigrationStatus(options: MigrationStatusOptions): Promise<MigrationStatus> {
  const { databaseUrl, migrationsDir } = parseOptions(MigrationStatusOptions, options);
  const migrationsList = await readMigrationList(migrationsDir);
  return withClient(databaseUrl, async (client) => {
    const rows = await readMigrationRows(client);
    const diagnosis = await withSchemaEngine({ databaseUrl }, ({ engine }) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
    ).catch((error: unknown) => {
      throw asMigrationError(error);
    });
    const applied = rows
      .filter((row) => row.finishedAt !== null && row.rolledBackAt === null)
      .map((row) => row.migrationName);
    return {
      applied: [...new Set(applied)],
      pending: unappliedNames(diagnosis.history),
      failed: diagnosis.failedMigrationNames,
      modified: diagnosis.editedMigrationNames,
      unknownInDb: unpersistedNames(diagnosis.history),
    };
  });
}

function unappliedNames(history: HistoryDiagnostic | null): string[] {
  if (history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge") {
    return history.unappliedMigrationNames;
  }
  return [];
}

function unpersistedNames(history: HistoryDiagnostic | null): string[] {
  if (history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge") {
    return history.unpersistedMigrationNames;
  }
  return [];
}

export const CheckDriftOptions = z.object({
  schemaPath: FilePath,
  migrationsDir: FolderPath,
  /** Server on which a temporary shadow database is created (and dropped) for the replay. */
  databaseUrl: PostgresUrl,
  /** A scratch database to replay into instead; it is wiped first. */
  shadowDatabaseUrl: PostgresUrl.optional(),
});
export type CheckDriftOptions = z.infer<typeof CheckDriftOptions>;

export interface DriftReport {
  /** True when replaying the migrations yields exactly what schema.prisma describes. */
  inSync: boolean;
  /** The SQL a new migration would need to contain ("" when in sync). */
  sql: string;
}

/**
 * Replays the migrations folder on a shadow database and diffs the result with schema.prisma's
 * models. (The models are the engine's `schemaDatamodel` source; `schemaDatasource` would mean
 * the live database behind the adapter, which is not what the folder is compared with.)
 */
export async function checkDrift(options: CheckDriftOptions): Promise<DriftReport> {
  const parsed = parseOptions(CheckDriftOptions, options);
  return diffMigrationsToSchema(parsed);
}

export const CreateMigrationOptions = CheckDriftOptions.extend({
  name: z.string(),
  now: z.date().optional(),
});
export type CreateMigrationOptions = z.infer<typeof CreateMigrationOptions>;

export interface CreatedMigration {
  /** The migration's name: its folder name, `<UTC yyyymmddhhmmss>_<name>`. */
  name: string;
  /** Absolute path of the new folder. */
  folder: string;
  sql: string;
}

/**
 * Writes the migration that takes the folder's history to schema.prisma (what `prisma migrate
 * dev --create-only` writes), plus migration_lock.toml when missing. Null, and nothing written,
 * when there is nothing to migrate.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration | null> {
  const parsed = parseOptions(CreateMigrationOptions, options);
  const folderName = `${migrationTimestamp(parsed.now ?? new Date())}_${normaliseMigrationName(parsed.name)}`;
  const drift = await diffMigrationsToSchema(parsed);
  if (drift.inSync) return null;
  const folder = await writeMigration(parsed.migrationsDir, folderName, drift.sql);
  return { name: folderName, folder, sql: drift.sql };
}

/** The engine's own createMigration fails on PostgreSQL in the wasm build; this diff is equivalent. */
async function diffMigrationsToSchema(options: CheckDriftOptions): Promise<DriftReport> {
  const { databaseUrl, shadowDatabaseUrl, schemaPath, migrationsDir } = options;
  const schemaFiles = [await readSchemaFile(schemaPath)];
  const migrationsList = withLockfile(await readMigrationList(migrationsDir));
  // Reachability first, so that an unreachable server is one clear sentence.
  await withClient(databaseUrl, async () => {});
  if (shadowDatabaseUrl) await withClient(shadowDatabaseUrl, async () => {});
  const result = await withSchemaEngine({ databaseUrl, shadowDatabaseUrl, schemaFiles }, ({ engine }) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: schemaFiles },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  ).catch((error: unknown) => {
    throw asMigrationError(error);
  });
  // With exitCode requested the engine answers 2 when the script has steps, 0 when it has none.
  const inSync = result.exitCode === 0;
  return { inSync, sql: inSync ? "" : (result.stdout ?? "") };
}

/** A first migration has no lock file yet; the engine needs one to know the provider. */
function withLockfile(list: MigrationList): MigrationList {
  return list.lockfile.content === null
    ? { ...list, lockfile: { ...list.lockfile, content: LOCKFILE_CONTENT } }
    : list;
}

async function readSchemaFile(schemaPath: string): Promise<{ path: string; content: string }> {
  try {
    return { path: path.resolve(schemaPath), content: await readFile(schemaPath, "utf8") };
  } catch (error) {
    throw new MigrationError(
      "schema_invalid",
      `Cannot read the Prisma schema ${schemaPath}: ${describeError(error)}.`,
      {
        cause: error,
      },
    );
  }
}

export const ResolveMigrationOptions = z.object({
  databaseUrl: PostgresUrl,
  migrationName: z.string().min(1),
});
export type ResolveMigrationOptions = z.infer<typeof ResolveMigrationOptions>;

/**
 * Marks a failed migration as rolled back (`prisma migrate resolve --rolled-back`), so that the
 * next apply runs its fixed version. Faultline's migrations are atomic, so a failed one left no
 * changes behind.
 */
export async function markMigrationRolledBack(options: ResolveMigrationOptions): Promise<void> {
  const { databaseUrl, migrationName } = parseOptions(ResolveMigrationOptions, options);
  await withClient(databaseUrl, (client) =>
    withMigrationLock(
      client,
      () => {},
      () =>
        withSchemaEngine({ databaseUrl }, ({ engine }) =>
          engine.markMigrationRolledBack({ migrationName }),
        ).catch((error: unknown) => {
          throw asMigrationError(error);
        }),
    ),
  );
}

function parseOptions<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "options"} ${issue.message}`,
  );
  throw new MigrationError("invalid_options", `Invalid migration options: ${problems.join("; ")}.`);
}
