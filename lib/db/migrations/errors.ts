// The migration tooling's member of the AppError family. Every failure a user can act on becomes
// a MigrationError with a stable code and one sentence; anything else is a bug and keeps its
// original error.
import { AppError, describeError } from "../../../kernel/errors";
import { describeServer } from "./database-url";

export type MigrationErrorCode =
  | "database_unreachable"
  | "invalid_migration_name"
  | "migration_exists"
  | "migration_failed"
  | "migration_lock_timeout"
  | "failed_migration_in_history"
  | "modified_migration"
  | "migrations_folder_invalid"
  | "schema_invalid"
  | "shadow_database"
  | "invalid_options"
  | "engine_error";

export class MigrationError extends AppError {
  override readonly code: MigrationErrorCode;

  constructor(code: MigrationErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, code === "database_unreachable" ? 503 : 500);
    this.name = "MigrationError";
    this.code = code;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Turns a connection failure of `pg` into the one sentence the user needs. */
export function unreachable(databaseUrl: string, error: unknown): MigrationError {
  return new MigrationError(
    "database_unreachable",
    `Cannot reach PostgreSQL at ${describeServer(databaseUrl)}: ${describeError(error).replace(/\.$/, "")}.`,
    { cause: error },
  );
}
