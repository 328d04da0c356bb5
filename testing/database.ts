// Test databases: each suite gets a fresh, uniquely named database on the test server
// (TEST_DATABASE_URL, which `npm test` sets to its embedded server when the user gave none).
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrations";
import { env, projectRoot } from "../lib/env";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = env().TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      "TEST_DATABASE_URL is not set: run the integration tests through `npm test` or `npm run test:int`.",
    );
  return url;
}

/** Creates an empty database (migrated unless `migrate: false`) and returns its URL. */
export async function createTestDatabase(
  options: { migrate?: boolean; prefix?: string; serverUrl?: string } = {},
): Promise<TestDatabase> {
  const server = options.serverUrl ?? testServerUrl();
  const name = `${options.prefix ?? "faultline_test"}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(server, (client) => `create database ${client.escapeIdentifier(name)}`);
  const url = withDatabase(server, name);
  if (options.migrate !== false) {
    await applyMigrations({
      databaseUrl: url,
      migrationsDir: path.join(projectRoot(), "prisma", "migrations"),
    });
  }
  return {
    url,
    name,
    drop: () =>
      adminQuery(server, (client) => `drop database if exists ${client.escapeIdentifier(name)} with (force)`),
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: (client: pg.Client) => string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql(client));
  } finally {
    await client.end();
  }
}
