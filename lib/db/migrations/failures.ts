// Owns the wording of migration failures: which MigrationError code a problem gets, and the one
// sentence that tells the user what happened and what to do.
import type { DiagnoseMigrationHistoryOutput } from "@prisma/schema-engine-wasm";
import { MigrationError } from "./errors";
import { cleanEngineMessage, SchemaEngineError } from "./schema-engine";

/** Throws when the history must be repaired before anything can be applied. */
export function assertHistoryApplicable(
  diagnosis: DiagnoseMigrationHistoryOutput,
  failedLogs: Map<string, string | null>,
): void {
  const [failed] = diagnosis.failedMigrationNames;
  if (failed !== undefined) {
    const logs = failedLogs.get(failed);
    const reason = logs ? ` (${cleanEngineMessage(logs)})` : "";
    throw new MigrationError(
      "failed_migration_in_history",
      `Migration ${failed} failed earlier${reason} and blocks the ones after it: fix it, then mark it rolled back with "tsx scripts/db.ts resolve ${failed}".`,
    );
  }
  if (diagnosis.editedMigrationNames.length > 0) {
    throw new MigrationError(
      "modified_migration",
      `${listNames(diagnosis.editedMigrationNames)} changed after being applied (checksum mismatch): restore the applied version and put the change in a new migration.`,
    );
  }
}

/** A failure of engine.applyMigrations: PostgreSQL's report when a migration's SQL failed. */
export function explainApplyFailure(error: unknown): unknown {
  const migrationName = error instanceof SchemaEngineError ? error.details.migrationName : undefined;
  if (migrationName === undefined) return asMigrationError(error);
  return new MigrationError(
    "migration_failed",
    `Migration ${migrationName} failed and was rolled back: ${sentence(error instanceof Error ? error.message : "")}`,
    { cause: error },
  );
}

/** Engine failures outside applyMigrations, labelled by what the user has to fix. */
export function asMigrationError(error: unknown): unknown {
  if (!(error instanceof SchemaEngineError)) return error;
  const { invalidSchema, migrationName } = error.details;
  if (invalidSchema) {
    return new MigrationError("schema_invalid", `schema.prisma is invalid: ${sentence(error.message)}`, {
      cause: error,
    });
  }
  if (migrationName) {
    return new MigrationError(
      "migration_failed",
      `Migration ${migrationName} does not apply to an empty database: ${sentence(error.message.replace(/^.*?Error: /, ""))}`,
      { cause: error },
    );
  }
  return new MigrationError("engine_error", sentence(error.message), { cause: error });
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function listNames(names: string[]): string {
  return names.length === 1 ? `Migration ${names[0]}` : `Migrations ${names.join(", ")}`;
}
