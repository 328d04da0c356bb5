// Faultline's migration tooling against a real PostgreSQL (TEST_DATABASE_URL): what a developer
// or an operator notices — tables appear, history rows match the Prisma CLI's, failures are atomic
// and explained, drift is caught. Every test gets its own database and temporary folders.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, type TestDatabase, testServerUrl } from "../../../testing/database";
import { projectRoot } from "../../env";
import {
  applyMigrations,
  checkDrift,
  createMigration,
  getMigrationStatus,
  MigrationError,
  markMigrationRolledBack,
} from "./index";

const root = projectRoot();
const projectSchema = path.join(root, "prisma", "schema.prisma");
const projectMigrations = path.join(root, "prisma", "migrations");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false, prefix: "faultline_migrations" });
  cleanups.push(() => database.drop());
  return database;
}

/** A scratch copy of prisma/ (schema and migrations) that a test may edit. */
async function copyOfPrisma(): Promise<{ schemaPath: string; migrationsDir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "faultline-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const schemaPath = path.join(dir, "schema.prisma");
  const migrationsDir = path.join(dir, "migrations");
  await cp(projectSchema, schemaPath);
  await cp(projectMigrations, migrationsDir, { recursive: true });
  return { schemaPath, migrationsDir };
}

async function addMigration(migrationsDir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name));
  await writeFile(path.join(migrationsDir, name, "migration.sql"), sql);
}

async function migrationFolders(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function query<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ tablename: string }>(
    url,
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((row) => row.tablename);
}

async function shadowDatabases(): Promise<string[]> {
  const rows = await query<{ datname: string }>(
    testServerUrl(),
    "SELECT datname FROM pg_database WHERE datname LIKE 'faultline_shadow_%'",
  );
  return rows.map((row) => row.datname);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const isMigrationError = (code: string, message?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof MigrationError, `expected a MigrationError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (message) assert.match(error.message, message);
  return true;
};

describe("applyMigrations", { timeout: 60_000 }, () => {
  it("creates the schema on an empty database, with one Prisma-shaped history row per folder", async () => {
    const db = await freshDatabase();
    const folders = await migrationFolders(projectMigrations);
    assert.ok(folders.length > 0, "prisma/migrations holds at least the initial migration");

    const progress: string[] = [];
    const { applied } = await applyMigrations({
      databaseUrl: db.url,
      migrationsDir: projectMigrations,
      onProgress: (message) => progress.push(message),
    });

    assert.deepEqual(applied, folders);
    assert.ok(progress.includes(`Applying ${folders[0]}`), progress.join("\n"));
    const tables = await tableNames(db.url);
    for (const table of [
      "_prisma_migrations",
      "experiments",
      "runs",
      "run_arms",
      "windows",
      "model_versions",
    ]) {
      assert.ok(tables.includes(table), `${table} exists (tables: ${tables.join(", ")})`);
    }

    const columns = await query<{ column_name: string; data_type: string }>(
      db.url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    assert.deepEqual(
      columns.map((column) => `${column.column_name} ${column.data_type}`),
      [
        "id character varying",
        "checksum character varying",
        "finished_at timestamp with time zone",
        "migration_name character varying",
        "logs text",
        "rolled_back_at timestamp with time zone",
        "started_at timestamp with time zone",
        "applied_steps_count integer",
      ],
    );
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
    }>(db.url, "SELECT * FROM _prisma_migrations ORDER BY started_at");
    assert.deepEqual(
      rows.map((row) => row.migration_name),
      folders,
    );
    for (const row of rows) {
      const script = await readFile(
        path.join(projectMigrations, row.migration_name, "migration.sql"),
        "utf8",
      );
      assert.equal(row.checksum, sha256(script), `checksum of ${row.migration_name}`);
      assert.ok(row.finished_at instanceof Date);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.logs, null);
      assert.equal(row.applied_steps_count, 1);
    }
  });

  it("applies nothing the second time", async () => {
    const db = await freshDatabase();
    const options = { databaseUrl: db.url, migrationsDir: projectMigrations };
    const first = await applyMigrations(options);
    assert.ok(first.applied.length > 0);

    const second = await applyMigrations(options);
    assert.deepEqual(second.applied, []);
    const [count] = await query<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM _prisma_migrations");
    assert.equal(count?.n, first.applied.length);
  });

  it("applies each migration once when two processes start at the same time", async () => {
    const db = await freshDatabase();
    const options = { databaseUrl: db.url, migrationsDir: projectMigrations };
    const results = await Promise.all([applyMigrations(options), applyMigrations(options)]);

    const folders = await migrationFolders(projectMigrations);
    const appliedTotal = results.flatMap((result) => result.applied).sort();
    assert.deepEqual(appliedTotal, folders);
    const rows = await query<{ migration_name: string }>(
      db.url,
      "SELECT migration_name FROM _prisma_migrations",
    );
    assert.equal(rows.length, folders.length);
  });

  it("waits for another process that holds the migration lock, then finds nothing left to do", async () => {
    const db = await freshDatabase();
    const options = { databaseUrl: db.url, migrationsDir: projectMigrations };
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await applyMigrations(options);
    await holder.query("SELECT pg_advisory_lock(hashtextextended('faultline:migrations', 0))");

    const progress: string[] = [];
    let waiting!: () => void;
    const waited = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const second = applyMigrations({
      ...options,
      onProgress: (message) => {
        progress.push(message);
        if (message.startsWith("Waiting")) waiting();
      },
    });
    await waited;
    await holder.query("SELECT pg_advisory_unlock(hashtextextended('faultline:migrations', 0))");
    assert.deepEqual((await second).applied, []);
    assert.match(progress[0] ?? "", /^Waiting for another process that is applying migrations/);
  });

  it("runs a migration with $$ bodies and semicolons inside strings as written", async () => {
    const db = await freshDatabase();
    const { migrationsDir } = await copyOfPrisma();
    await addMigration(
      migrationsDir,
      "29990101000000_function",
      `CREATE FUNCTION faultline_answer() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'forty; two';
END;
$$;
COMMENT ON FUNCTION faultline_answer() IS 'semi;colons;inside';
`,
    );
    await applyMigrations({ databaseUrl: db.url, migrationsDir });
    const [row] = await query<{ answer: string }>(db.url, "SELECT faultline_answer() AS answer");
    assert.equal(row?.answer, "forty; two");
  });

  it("rolls a failing migration back entirely, reports PostgreSQL's message, and blocks later runs until resolved", async () => {
    const db = await freshDatabase();
    const { migrationsDir } = await copyOfPrisma();
    const broken = "29990101000000_broken";
    await addMigration(
      migrationsDir,
      broken,
      "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);\n",
    );

    await assert.rejects(
      applyMigrations({ databaseUrl: db.url, migrationsDir }),
      isMigrationError("migration_failed", /29990101000000_broken.*relation "no_such_table" does not exist/),
    );
    const tables = await tableNames(db.url);
    assert.ok(!tables.includes("half_done"), "nothing of the failed migration remains");
    assert.ok(tables.includes("experiments"), "the migrations before it stay applied");

    const status = await getMigrationStatus({ databaseUrl: db.url, migrationsDir });
    assert.deepEqual(status.failed, [broken]);
    assert.ok(!status.applied.includes(broken));

    await assert.rejects(
      applyMigrations({ databaseUrl: db.url, migrationsDir }),
      isMigrationError("failed_migration_in_history", /29990101000000_broken failed earlier.*no_such_table/),
    );

    await writeFile(path.join(migrationsDir, broken, "migration.sql"), "CREATE TABLE half_done (id int);\n");
    await markMigrationRolledBack({ databaseUrl: db.url, migrationName: broken });
    const { applied } = await applyMigrations({ databaseUrl: db.url, migrationsDir });
    assert.deepEqual(applied, [broken]);
    assert.ok((await tableNames(db.url)).includes("half_done"));
  });

  it("refuses to run over an applied migration that was edited, and status names it", async () => {
    const db = await freshDatabase();
    const { migrationsDir } = await copyOfPrisma();
    await applyMigrations({ databaseUrl: db.url, migrationsDir });
    const [first] = await migrationFolders(migrationsDir);
    assert.ok(first);
    await appendFile(path.join(migrationsDir, first, "migration.sql"), "\n-- edited after the fact\n");

    const status = await getMigrationStatus({ databaseUrl: db.url, migrationsDir });
    assert.deepEqual(status.modified, [first]);

    await addMigration(migrationsDir, "29990101000000_next", "CREATE TABLE next_one (id int);\n");
    await assert.rejects(
      applyMigrations({ databaseUrl: db.url, migrationsDir }),
      isMigrationError("modified_migration", new RegExp(`${first} changed after being applied`)),
    );
    assert.ok(!(await tableNames(db.url)).includes("next_one"));
  });

  it("says which server it cannot reach, in one sentence", async () => {
    const port = await closedPort();
    await assert.rejects(
      applyMigrations({
        databaseUrl: `postgresql://postgres@127.0.0.1:${port}/nowhere`,
        migrationsDir: projectMigrations,
      }),
      isMigrationError(
        "database_unreachable",
        new RegExp(`^Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: .+\\.$`),
      ),
    );
  });
});

describe("getMigrationStatus", { timeout: 60_000 }, () => {
  it("lists every folder as pending before the first apply and none after", async () => {
    const db = await freshDatabase();
    const folders = await migrationFolders(projectMigrations);
    const options = { databaseUrl: db.url, migrationsDir: projectMigrations };

    const before = await getMigrationStatus(options);
    assert.deepEqual(before, { applied: [], pending: folders, failed: [], modified: [], unknownInDb: [] });

    await applyMigrations(options);
    const after = await getMigrationStatus(options);
    assert.deepEqual(after, { applied: folders, pending: [], failed: [], modified: [], unknownInDb: [] });
  });

  it("names migrations the database has but the folder lacks", async () => {
    const db = await freshDatabase();
    const { migrationsDir } = await copyOfPrisma();
    await addMigration(migrationsDir, "29990101000000_gone", "CREATE TABLE gone (id int);\n");
    await applyMigrations({ databaseUrl: db.url, migrationsDir });
    await rm(path.join(migrationsDir, "29990101000000_gone"), { recursive: true });

    const status = await getMigrationStatus({ databaseUrl: db.url, migrationsDir });
    assert.deepEqual(status.unknownInDb, ["29990101000000_gone"]);
  });
});

describe("checkDrift", { timeout: 60_000 }, () => {
  it("finds the project's schema.prisma and migrations in sync, and leaves no shadow database", async () => {
    const before = await shadowDatabases();
    const drift = await checkDrift({
      schemaPath: projectSchema,
      migrationsDir: projectMigrations,
      databaseUrl: testServerUrl(),
    });
    assert.deepEqual(drift, { inSync: true, sql: "" });
    assert.deepEqual(await shadowDatabases(), before);
  });

  it("reports the SQL a schema change still needs", async () => {
    const { schemaPath } = await copyOfPrisma();
    await addFieldToDataset(schemaPath);
    const drift = await checkDrift({
      schemaPath,
      migrationsDir: projectMigrations,
      databaseUrl: testServerUrl(),
    });
    assert.equal(drift.inSync, false);
    assert.match(drift.sql, /ALTER TABLE "datasets" ADD COLUMN\s+"license" TEXT/);
  });

  it("replays into a given shadow database (wiped first), but never into the main one", async () => {
    const shadow = await freshDatabase();
    await query(shadow.url, "CREATE TABLE leftover (id int)");
    const drift = await checkDrift({
      schemaPath: projectSchema,
      migrationsDir: projectMigrations,
      databaseUrl: testServerUrl(),
      shadowDatabaseUrl: shadow.url,
    });
    assert.equal(drift.inSync, true);

    await assert.rejects(
      checkDrift({
        schemaPath: projectSchema,
        migrationsDir: projectMigrations,
        databaseUrl: shadow.url,
        shadowDatabaseUrl: shadow.url,
      }),
      isMigrationError("shadow_database", /is the main database/),
    );
  });

  it("explains an invalid schema.prisma and a migration that does not replay", async () => {
    const { schemaPath, migrationsDir } = await copyOfPrisma();
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(schemaPath, schema.replace(/(model Dataset \{\n)/, "$1  license     Strin?\n"));
    await assert.rejects(
      checkDrift({ schemaPath, migrationsDir, databaseUrl: testServerUrl() }),
      isMigrationError(
        "schema_invalid",
        /^schema\.prisma is invalid: Type "Strin" is neither .*schema\.prisma:\d+\)\.$/,
      ),
    );

    await writeFile(schemaPath, schema);
    await addMigration(migrationsDir, "29990101000000_typo", "SELEC 1;\n");
    await assert.rejects(
      checkDrift({ schemaPath, migrationsDir, databaseUrl: testServerUrl() }),
      isMigrationError(
        "migration_failed",
        /^Migration 29990101000000_typo .*syntax error at or near "SELEC"/,
      ),
    );
  });
});

describe("createMigration", { timeout: 60_000 }, () => {
  it("writes the migration that makes drift go away, and nothing when there is no change", async () => {
    const { schemaPath, migrationsDir } = await copyOfPrisma();
    await addFieldToDataset(schemaPath);
    const foldersBefore = await migrationFolders(migrationsDir);

    const created = await createMigration({
      name: "addDatasetLicense",
      schemaPath,
      migrationsDir,
      databaseUrl: testServerUrl(),
      now: new Date(Date.UTC(2999, 0, 2, 3, 4, 5)),
    });
    assert.ok(created);
    assert.equal(created.name, "29990102030405_add_dataset_license");
    assert.equal(created.folder, path.join(migrationsDir, created.name));
    assert.equal(await readFile(path.join(created.folder, "migration.sql"), "utf8"), created.sql);
    assert.match(created.sql, /ALTER TABLE "datasets" ADD COLUMN\s+"license" TEXT/);

    const drift = await checkDrift({ schemaPath, migrationsDir, databaseUrl: testServerUrl() });
    assert.deepEqual(drift, { inSync: true, sql: "" });

    const again = await createMigration({
      name: "nothing_new",
      schemaPath,
      migrationsDir,
      databaseUrl: testServerUrl(),
    });
    assert.equal(again, null);
    assert.deepEqual(await migrationFolders(migrationsDir), [...foldersBefore, created.name]);

    // The new migration applies cleanly on top of the others.
    const db = await freshDatabase();
    const { applied } = await applyMigrations({ databaseUrl: db.url, migrationsDir });
    assert.equal(applied.at(-1), created.name);
  });

  it("starts a history from nothing, lock file included, in Prisma's exact format", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "faultline-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const migrationsDir = path.join(dir, "migrations");

    const created = await createMigration({
      name: "init",
      schemaPath: projectSchema,
      migrationsDir,
      databaseUrl: testServerUrl(),
    });
    assert.ok(created);
    assert.match(created.name, /^\d{14}_init$/);
    assert.equal(
      await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8"),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    // The single migration it wrote builds the whole current schema: replaying it leaves no drift.
    assert.match(created.sql, /CREATE TABLE "model_versions"/);
    const drift = await checkDrift({
      schemaPath: projectSchema,
      migrationsDir,
      databaseUrl: testServerUrl(),
    });
    assert.equal(drift.inSync, true, drift.sql);
  });

  it("rejects a name that is not letters, digits and underscores, writing nothing", async () => {
    const { schemaPath, migrationsDir } = await copyOfPrisma();
    await addFieldToDataset(schemaPath);
    const before = await migrationFolders(migrationsDir);
    await assert.rejects(
      createMigration({ name: "add license!", schemaPath, migrationsDir, databaseUrl: testServerUrl() }),
      isMigrationError("invalid_migration_name", /letters, digits and underscores/),
    );
    assert.deepEqual(await migrationFolders(migrationsDir), before);
  });
});

async function addFieldToDataset(schemaPath: string): Promise<void> {
  const schema = await readFile(schemaPath, "utf8");
  const edited = schema.replace(/(model Dataset \{\n)/, "$1  license     String?\n");
  assert.notEqual(edited, schema, "the Dataset model was found");
  await writeFile(schemaPath, edited);
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
