// The CLI behind the `db:*` npm scripts: migrate, create <name>, status, drift, resolve <name>,
// generate and seed. The database is DATABASE_URL, or the embedded PostgreSQL when it is unset.
// Every failure prints one sentence and exits non-zero.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { z } from "zod";
import { AppError, describeError } from "../kernel/errors";
import {
  applyMigrations,
  checkDrift,
  createMigration,
  getMigrationStatus,
  markMigrationRolledBack,
} from "../lib/db/migrations";
import { openDatabase } from "../lib/db/postgres";
import { seedDatabase } from "../lib/db/seed";
import { EnvError, env, modelsDir, projectRoot } from "../lib/env";
import { ensureQuantizedModels } from "../tooling/quantize/build";

const USAGE = `Usage: tsx scripts/db.ts <command>
  migrate          apply pending migrations           (npm run db:migrate)
  create <name>    write a migration for schema.prisma (npm run db:migrate:create -- <name>)
  status           compare prisma/migrations with the database (npm run db:status)
  drift            exit 1 when schema.prisma and the migrations disagree (npm run db:drift)
  resolve <name>   mark a failed migration as rolled back, so a fixed version can run
  generate         generate the Prisma client, offline (npm run db:generate)
  seed             build derived model files, register models and datasets (npm run db:seed)`;

const Command = z.discriminatedUnion("command", [
  z.object({ command: z.enum(["migrate", "status", "drift", "generate", "seed"]), args: z.tuple([]) }),
  z.object({
    command: z.enum(["create", "resolve"]),
    args: z.tuple([z.string({ message: "needs a name" }).min(1, "needs a name")], {
      message: "takes exactly one name",
    }),
  }),
]);
type Command = z.infer<typeof Command>;

class UsageError extends Error {}

const log = (message: string) => console.log(`▸ ${message}`);
const root = projectRoot();
const paths = {
  schema: path.join(root, "prisma", "schema.prisma"),
  migrations: path.join(root, "prisma", "migrations"),
};

function parseCommand(argv: string[]): Command {
  const [command = "", ...args] = argv;
  const parsed = Command.safeParse({ command, args });
  if (parsed.success) return parsed.data;
  const known = ["migrate", "create", "status", "drift", "resolve", "generate", "seed"].includes(command);
  const problem = known
    ? `"${command}" ${parsed.error.issues[0]?.message ?? "has wrong arguments"}`
    : `Unknown command "${command}"`;
  throw new UsageError(`${problem}.\n${USAGE}`);
}

/** Runs `work` against DATABASE_URL or the embedded server, stopping whatever was started. */
async function withDatabase<T>(work: (databaseUrl: string) => Promise<T>): Promise<T> {
  const database = await openDatabase({ log });
  try {
    return await work(database.url);
  } finally {
    await database.close();
  }
}

async function run(command: Command): Promise<number> {
  switch (command.command) {
    case "migrate":
      return withDatabase(async (databaseUrl) => {
        const { applied } = await applyMigrations({
          databaseUrl,
          migrationsDir: paths.migrations,
          onProgress: log,
        });
        log(
          applied.length === 0 ? "No pending migrations." : `Applied ${plural(applied.length, "migration")}.`,
        );
        return 0;
      });

    case "create":
      return withDatabase(async (databaseUrl) => {
        const created = await createMigration({
          name: command.args[0],
          schemaPath: paths.schema,
          migrationsDir: paths.migrations,
          databaseUrl,
          shadowDatabaseUrl: env().SHADOW_DATABASE_URL,
        });
        log(
          created
            ? `Created ${path.relative(root, path.join(created.folder, "migration.sql"))}; apply it with npm run db:migrate.`
            : "schema.prisma and the migrations already agree: no migration written.",
        );
        return 0;
      });

    case "status":
      return withDatabase(async (databaseUrl) => {
        const status = await getMigrationStatus({ databaseUrl, migrationsDir: paths.migrations });
        const section = (title: string, names: string[]) => {
          if (names.length === 0) return;
          console.log(`${title} (${names.length}):`);
          for (const name of names) console.log(`  ${name}`);
        };
        section("Applied", status.applied);
        section("Pending", status.pending);
        section("Failed", status.failed);
        section("Edited after being applied", status.modified);
        section("In the database but not in prisma/migrations", status.unknownInDb);
        const healthy = status.failed.length === 0 && status.modified.length === 0;
        log(
          !healthy
            ? "The migration history needs attention (see above)."
            : status.pending.length > 0
              ? `${plural(status.pending.length, "migration")} pending: run npm run db:migrate.`
              : "The database is up to date.",
        );
        return healthy ? 0 : 1;
      });

    case "drift":
      return withDatabase(async (databaseUrl) => {
        const drift = await checkDrift({
          schemaPath: paths.schema,
          migrationsDir: paths.migrations,
          databaseUrl,
          shadowDatabaseUrl: env().SHADOW_DATABASE_URL,
        });
        if (drift.inSync) {
          log("schema.prisma and prisma/migrations are in sync.");
          return 0;
        }
        console.log(drift.sql.trimEnd());
        console.error(
          "✖ schema.prisma and prisma/migrations disagree: the SQL above is missing; run npm run db:migrate:create -- <name>.",
        );
        return 1;
      });

    case "resolve":
      return withDatabase(async (databaseUrl) => {
        await markMigrationRolledBack({ databaseUrl, migrationName: command.args[0] });
        log(`Marked ${command.args[0]} as rolled back; npm run db:migrate will run it again.`);
        return 0;
      });

    case "generate": {
      const result = spawnSync(process.execPath, [path.join(root, "scripts", "prisma-generate.mjs")], {
        cwd: root,
        stdio: "inherit",
      });
      if (result.error) throw result.error;
      return result.status ?? 1;
    }

    case "seed":
      return withDatabase(async (databaseUrl) => {
        await ensureQuantizedModels(log, { modelsDir: modelsDir() });
        await seedDatabase(databaseUrl, { log });
        return 0;
      });
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseCommand(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    // Known failures (AppError, EnvError) are one sentence already; anything else is shown the
    // same way, without a stack, since this is a command people run by hand.
    const message =
      error instanceof AppError || error instanceof EnvError ? error.message : describeError(error);
    console.error(`✖ ${message}`);
    process.exitCode = 1;
  }
}

await main();
