// Readiness: can this server do its job right now? Each check reports ok, a one-line detail and
// its duration, so /api/ready tells an operator what is wrong, not only that something is.
import { describeError } from "../../kernel/errors";
import type { MigrationFile } from "./migration-files";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  durationMs: number;
}

export interface Readiness {
  ready: boolean;
  checks: Check[];
}

export interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** What the checks need from the outside world, injected so the logic is testable. */
export interface ReadinessProbes {
  pingDatabase(): Promise<void>;
  listAppliedMigrations(): Promise<AppliedMigration[]>;
  listMigrationFiles(): Promise<MigrationFile[]>;
  /** Load state of every configured model (sessions created and warm, or why not). */
  listModels(): Promise<Array<{ name: string; state: "loaded" | "failed"; error: string | null }>>;
}

export async function checkReadiness(probes: ReadinessProbes, timeoutMs = 3000): Promise<Readiness> {
  const database = await timed("database", timeoutMs, async () => {
    await probes.pingDatabase();
    return "reachable";
  });
  const migrations = database.ok
    ? await timed("migrations", timeoutMs, async () =>
        describeMigrationState(await probes.listMigrationFiles(), await probes.listAppliedMigrations()),
      )
    : { name: "migrations", ok: false, detail: "not checked: the database is unreachable", durationMs: 0 };
  const models = await timed("models", timeoutMs, async () => describeModels(await probes.listModels()));
  const checks = [database, migrations, models];
  return { ready: checks.every((check) => check.ok), checks };
}

/** Throws (a failed check) unless every migration folder is applied, unmodified and finished. */
export function describeMigrationState(files: MigrationFile[], applied: AppliedMigration[]): string {
  const finished = new Map(
    applied
      .filter((row) => row.finished_at && !row.rolled_back_at)
      .map((row) => [row.migration_name, row.checksum]),
  );
  const failed = applied
    .filter((row) => !row.finished_at && !row.rolled_back_at)
    .map((row) => row.migration_name);
  if (failed.length > 0) throw new Error(`failed migration in history: ${failed.join(", ")}`);
  const pending = files.filter((file) => !finished.has(file.name)).map((file) => file.name);
  if (pending.length > 0)
    throw new Error(`${pending.length} pending: ${pending.join(", ")} (run npm run db:migrate)`);
  const modified = files.filter((file) => finished.get(file.name) !== file.checksum).map((file) => file.name);
  if (modified.length > 0) throw new Error(`modified after being applied: ${modified.join(", ")}`);
  return `${files.length} applied, none pending`;
}

function describeModels(models: Array<{ name: string; state: string; error: string | null }>): string {
  const failed = models.filter((model) => model.state !== "loaded");
  if (failed.length > 0) {
    throw new Error(`${failed.map((model) => `${model.name} failed to load: ${model.error}`).join("; ")}`);
  }
  return models.length === 0 ? "no models configured" : `${models.length} loaded`;
}

async function timed(name: string, timeoutMs: number, run: () => Promise<string>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const detail = await Promise.race([run(), timeout]);
    return { name, ok: true, detail, durationMs: elapsed(started) };
  } catch (error) {
    return { name, ok: false, detail: describeError(error), durationMs: elapsed(started) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;
