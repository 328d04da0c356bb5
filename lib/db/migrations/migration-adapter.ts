// Owns the database connections the schema engine gets: @prisma/adapter-pg, corrected where it
// falls short for migrations (shadow database, "char" columns, multi-statement scripts).
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type ConnectionInfo,
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { describeError } from "../../../kernel/errors";
import { databaseName, describeServer, isSameDatabase, quoteIdentifier, withDatabase } from "./database-url";
import { MigrationError } from "./errors";

export interface MigrationAdapterOptions {
  databaseUrl: string;
  /**
   * A scratch database the engine may wipe and replay history into. Unset: a temporary database
   * is created on the server of `databaseUrl` for each use and dropped afterwards.
   */
  shadowDatabaseUrl?: string;
}

/**
 * The factory handed to the engine. PrismaPg's own connectToShadowDb() builds its pool from
 * `{ connectionString, database }`, and pg lets the connection string win: the engine would
 * replay the whole history into the MAIN database. Here the shadow connection really goes to a
 * scratch database.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly open = new Set<MigrationPgAdapter>();

  constructor(private readonly options: MigrationAdapterOptions) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.openAdapter(this.options.databaseUrl);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const { databaseUrl, shadowDatabaseUrl } = this.options;
    if (shadowDatabaseUrl) {
      if (isSameDatabase(shadowDatabaseUrl, databaseUrl)) {
        throw new MigrationError(
          "shadow_database",
          `The shadow database ${databaseName(shadowDatabaseUrl)} is the main database: point SHADOW_DATABASE_URL at a scratch database.`,
        );
      }
      // Like Prisma with shadowDatabaseUrl: the shadow database is scratch space, wiped before use.
      await runOnce(
        shadowDatabaseUrl,
        'DROP SCHEMA IF EXISTS "public" CASCADE; CREATE SCHEMA "public"',
      ).catch((error: unknown) => {
        throw new MigrationError(
          "shadow_database",
          `Cannot reset the shadow database ${databaseName(shadowDatabaseUrl)} at ${describeServer(shadowDatabaseUrl)}: ${describeError(error)}.`,
          { cause: error },
        );
      });
      return this.openAdapter(shadowDatabaseUrl);
    }
    const name = `faultline_shadow_${randomUUID().replaceAll("-", "")}`;
    await runOnce(databaseUrl, `CREATE DATABASE ${quoteIdentifier(name)}`).catch((error: unknown) => {
      throw new MigrationError(
        "shadow_database",
        `Cannot create a temporary shadow database on ${describeServer(databaseUrl)} (${describeError(error)}): ` +
          "grant CREATEDB, or set SHADOW_DATABASE_URL to a scratch database.",
        { cause: error },
      );
    });
    const drop = () =>
      runOnce(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`).catch(
        (error: unknown) => {
          throw new MigrationError(
            "shadow_database",
            `Could not drop the temporary shadow database ${name} on ${describeServer(databaseUrl)}: ${describeError(error)}.`,
            { cause: error },
          );
        },
      );
    try {
      return await this.openAdapter(withDatabase(databaseUrl, name), drop);
    } catch (error) {
      await drop();
      throw error;
    }
  }

  /** Disposes whatever the engine left open, dropping temporary shadow databases. */
  async close(): Promise<void> {
    const results = await Promise.allSettled([...this.open].map((adapter) => adapter.dispose()));
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  private async openAdapter(url: string, afterDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // Errors of idle clients (a server restart) surface on the next query; they must not crash us.
    pool.on("error", () => {});
    const inner = await new PrismaPg(pool).connect();
    const adapter = new MigrationPgAdapter(inner, pool, async () => {
      this.open.delete(adapter);
      await inner.dispose();
      await pool.end();
      await afterDispose?.();
    });
    this.open.add(adapter);
    return adapter;
  }
}

/** One statement (or script) on a short-lived connection of its own. */
async function runOnce(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

class MigrationPgAdapter implements SqlDriverAdapter {
  readonly provider = "postgres";
  readonly adapterName: string;
  private disposed: Promise<void> | undefined;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly pool: pg.Pool,
    private readonly release: () => Promise<void>,
  ) {
    this.adapterName = inner.adapterName;
    decodeCharColumnsOf(inner);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return queryRawWithCharColumns(this.inner, query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  /**
   * PrismaPg splits scripts on ";", which breaks `$$` bodies and string literals and runs each
   * piece on its own. Sent as one parameterless query, PostgreSQL runs the whole script in one
   * implicit transaction: a failing migration leaves nothing behind.
   */
  async executeScript(script: string): Promise<void> {
    try {
      await this.pool.query(script);
    } catch (error) {
      // With a known SQLSTATE the engine swaps PostgreSQL's message for its own wording ("No
      // such table: x") and drops DETAIL and HINT; a migration failure must show PostgreSQL's
      // whole report, so it all rides in the message.
      if (error instanceof pg.DatabaseError) {
        const parts = [
          error.message,
          error.detail && `DETAIL: ${error.detail}`,
          error.hint && `HINT: ${error.hint}`,
        ];
        throw new DriverAdapterError({
          kind: "postgres",
          code: "N/A",
          severity: error.severity ?? "ERROR",
          message: `${parts.filter(Boolean).join(" ")} (SQLSTATE ${error.code ?? "unknown"})`,
          detail: error.detail,
          column: error.column,
          hint: error.hint,
        });
      }
      throw error;
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return new MigrationPgTransaction(await this.inner.startTransaction(isolationLevel));
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  dispose(): Promise<void> {
    this.disposed ??= this.release();
    return this.disposed;
  }
}

class MigrationPgTransaction implements Transaction {
  readonly provider = "postgres";
  readonly adapterName: string;
  readonly options: TransactionOptions;

  constructor(private readonly inner: Transaction) {
    this.adapterName = inner.adapterName;
    this.options = inner.options;
    decodeCharColumnsOf(inner);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return queryRawWithCharColumns(this.inner, query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  commit(): Promise<void> {
    return this.inner.commit();
  }

  rollback(): Promise<void> {
    return this.inner.rollback();
  }
}

// PostgreSQL's one-byte "char" type (OID 18) is what the engine's schema describer reads from
// pg_constraint.contype and friends. PrismaPg rejects it as an unsupported column type; the engine
// wants it as a Character column. PrismaPg's private performIO is the only place the field types
// are visible before that rejection, so the columns are relabelled there and flagged per result.
const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumnsOfRows = new WeakMap<unknown[], number[]>();

type PerformIO = (query: SqlQuery) => Promise<pg.QueryArrayResult>;

function decodeCharColumnsOf(queryable: SqlQueryable): void {
  const target = queryable as unknown as { performIO?: PerformIO };
  const performIO = target.performIO;
  if (typeof performIO !== "function") {
    throw new Error(
      '@prisma/adapter-pg no longer has performIO(): the "char" column workaround needs updating.',
    );
  }
  target.performIO = async (query: SqlQuery) => {
    const result = await performIO.call(queryable, query);
    // A multi-statement script (executeScript) yields one result per statement: nothing to decode.
    if (Array.isArray(result)) return result;
    const charColumns: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID !== CHAR_OID) return;
      field.dataTypeID = TEXT_OID;
      charColumns.push(index);
    });
    if (charColumns.length > 0) charColumnsOfRows.set(result.rows, charColumns);
    return result;
  };
}

async function queryRawWithCharColumns(queryable: SqlQueryable, query: SqlQuery): Promise<SqlResultSet> {
  const result = await queryable.queryRaw(query);
  for (const index of charColumnsOfRows.get(result.rows) ?? [])
    result.columnTypes[index] = ColumnTypeEnum.Character;
  return result;
}
