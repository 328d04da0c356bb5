// The launcher behind `npm start`: database → migrations → seed → build (when stale) → web server,
// then prints the URL. Ctrl-C or SIGTERM stops everything it started, the embedded database too.
// With --dev it serves `next dev` instead of a production build.
import path from "node:path";
import { applyMigrations } from "../lib/db/migrations";
import { assertPortFree, type Database, openDatabase } from "../lib/db/postgres";
import { seedDatabase } from "../lib/db/seed";
import { EnvError, env, modelsDir, projectRoot } from "../lib/env";
import { AppError, describeError } from "../lib/errors";
import { ensureQuantizedModels } from "../lib/inference/quantize/build";
import { buildIfStale, nextBin } from "./lib/build";
import { onShutdown, type Supervised, startChild, stopWhenOrphaned } from "./lib/supervisor";

const dev = process.argv.includes("--dev");
const log = (message: string) => console.log(`▸ ${message}`);

const children: Supervised[] = [];
let database: Database | undefined;
let stopping = false;

async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(children.map((child) => child.stop()));
  await database?.close();
}

async function main(): Promise<void> {
  const started = Date.now();
  const settings = env();
  const root = projectRoot();
  onShutdown(async () => {
    log("Stopping…");
    await stopAll();
    log("Stopped.");
  });
  stopWhenOrphaned();
  log(`Faultline launcher (pid ${process.pid})`);

  await assertPortFree(settings.PORT, settings.HOST);
  database = await openDatabase({ log });
  log(database.embedded ? "Using the embedded PostgreSQL" : `Using the PostgreSQL at DATABASE_URL`);

  const { applied } = await applyMigrations({
    databaseUrl: database.url,
    migrationsDir: path.join(root, "prisma", "migrations"),
    onProgress: log,
  });
  log(applied.length === 0 ? "Migrations: none pending" : `Migrations: applied ${applied.join(", ")}`);
  await ensureQuantizedModels(log, { modelsDir: modelsDir() });
  await seedDatabase(database.url, { log });

  if (!dev) await buildIfStale(root, log);
  const web = startChild(
    "web",
    process.execPath,
    [nextBin(root), dev ? "dev" : "start", "-p", String(settings.PORT), "-H", settings.HOST],
    {
      ...process.env,
      DATABASE_URL: database.url,
      NODE_ENV: dev ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  );
  children.push(web);
  web.child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(`✖ The web server exited unexpectedly (${signal ?? `code ${code}`}).`);
    void stopAll().finally(() => process.exit(1));
  });

  const url = `http://${settings.HOST}:${settings.PORT}`;
  await waitUntilReady(`${url}/api/ready`, dev ? 180_000 : 60_000);
  log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`\n  Faultline is running at ${url}\n  Press Ctrl-C to stop.\n`);
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = describeError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new AppError(
    "not_ready",
    `The web server did not become ready within ${timeoutMs / 1000} s: ${last}`,
  );
}

main().catch((error: unknown) => {
  // Users get one sentence for the problems they can fix; a stack only for real bugs.
  if (error instanceof EnvError || error instanceof AppError) console.error(`✖ ${error.message}`);
  else console.error("✖ Faultline failed to start:", error);
  void stopAll().finally(() => process.exit(1));
});
