// Owns the one plain `pg` connection each command keeps beside the engine: it proves the server
// is reachable before the engine starts (so the user gets one clear sentence), holds the
// cross-process migration lock, and reads `_prisma_migrations`.
import pg from "pg";
import { MigrationError, unreachable } from "./errors";

const CONNECT_TIMEOUT_MS = 10_000;
/** How long applyMigrations waits for another process that is applying migrations. */
const LOCK_WAIT_MINUTES = 5;

/** A connected client, or a MigrationError saying why the server cannot be reached. */
export async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A server that goes away later fails the next query; the event itself must not crash us.
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw unreachable(databaseUrl, explainConnectError(error));
  }
}

function explainConnectError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return "connection refused (is the server running?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "unknown host";
  return error;
}

export async function withClient<T>(
  databaseUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connect(databaseUrl);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Serialises migration runs across processes with a session advisory lock. Its key differs from
 * the engine's own (72707369): the engine takes that one on a pooled connection, and sharing the
 * key would make it wait for the lock we hold.
 */
export async function withMigrationLock<T>(
  client: pg.Client,
  onWait: () => void,
  work: () => Promise<T>,
): Promise<T> {
  const key = "hashtextextended('faultline:migrations', 0)";
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS locked`);
  if (!rows[0]?.locked) {
    onWait();
    await client.query(`SET lock_timeout = '${LOCK_WAIT_MINUTES}min'`);
    try {
      await client.query(`SELECT pg_advisory_lock(${key})`);
    } catch (error) {
      if ((error as { code?: unknown }).code === "55P03") {
        throw new MigrationError(
          "migration_lock_timeout",
          `Gave up after ${LOCK_WAIT_MINUTES} minutes waiting for another process to finish applying migrations.`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      await client.query("RESET lock_timeout");
    }
  }
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${key})`).catch(() => {});
  }
}

export interface MigrationRow {
  migrationName: string;
  checksum: string;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
}

/** Every row of `_prisma_migrations` in the order they were started ([] when it does not exist). */
export async function readMigrationRows(client: pg.Client): Promise<MigrationRow[]> {
  const exists = await client.query<{ table: string | null }>(
    "SELECT to_regclass('_prisma_migrations')::text AS table",
  );
  if (!exists.rows[0]?.table) return [];
  const { rows } = await client.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
  }>(
    "SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at, migration_name",
  );
  return rows.map((row) => ({
    migrationName: row.migration_name,
    checksum: row.checksum,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
    logs: row.logs,
  }));
}
