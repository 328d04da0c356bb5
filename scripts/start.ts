// The launcher behind `npm start`: database → migrations → seed → build (when stale) → proxy, web server, worker,
// then prints the URL. Ctrl-C or SIGTERM stops everything it started, the embedded database too.
// With --dev it serves Next.js in development mode instead of a production build.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError, describeError } from "../kernel/errors";
import { ensureAdminToken } from "../lib/auth/admin-token";
import { applyMigrations } from "../lib/db/migrations";
import { assertPortFree, type Database, openDatabase } from "../lib/db/postgres";
import { seedDatabase } from "../lib/db/seed";
import { EnvError, env, localWebUrl, modelsDir, projectRoot, webUrlFile } from "../lib/env";
import { webProcessArgs } from "../lib/server/web-command";
import { ensureQuantizedModels } from "../tooling/quantize/build";
import { buildIfStale } from "./lib/build";
import { onShutdown, type Supervised, startChild, stopWhenOrphaned } from "./lib/supervisor";

const dev = process.argv.includes("--dev");
const log = (message: string) => console.log(`▸ ${message}`);

const children: Supervised[] = [];
let database: Database | undefined;
let stopping = false;
/** The URL written to webUrlFile() once ready, so that only this launcher removes it. */
let recordedUrl: string | undefined;

async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(children.map((child) => child.stop()));
  await database?.close();
  if (recordedUrl) {
    const file = webUrlFile();
    const current = await readFile(file, "utf8").catch(() => "");
    if (current.trim() === recordedUrl) await rm(file, { force: true });
  }
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

  const admin = await ensureAdminToken();
  if (!dev) await buildIfStale(root, log);
  if (!settings.TOXIPROXY_URL) await startProxy(root);
  const web = startChild(
    "web",
    process.execPath,
    webProcessArgs(root, { port: settings.PORT, host: settings.HOST, dev }),
    {
      ...process.env,
      DATABASE_URL: database.url,
      FAULTLINE_ADMIN_TOKEN: admin.token,
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
  const worker = startChild(
    "worker",
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "worker.ts")],
    {
      ...process.env,
      DATABASE_URL: database.url,
      FAULTLINE_ADMIN_TOKEN: admin.token,
      FAULTLINE_WEB_URL: url,
    },
  );
  children.push(worker);
  worker.child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(`✖ The worker exited unexpectedly (${signal ?? `code ${code}`}).`);
    void stopAll().finally(() => process.exit(1));
  });
  // `npm run drill` reads this to find the instance (see webUrlFile in lib/env.ts).
  recordedUrl = localWebUrl(settings);
  await mkdir(path.dirname(webUrlFile()), { recursive: true });
  await writeFile(webUrlFile(), `${recordedUrl}\n`);
  log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`\n  Faultline is running at ${url}`);
  if (admin.created) {
    console.log(`\n  Admin token (shown once; stored in ${admin.file}):\n    ${admin.token}`);
    console.log(
      `  Sign in with it at ${url}/sign-in, or send it as \`Authorization: Bearer <token>\` to the API;`,
    );
    console.log("  then create per-person tokens (viewer, operator, admin) on the Tokens page.");
  }
  console.log("\n  Press Ctrl-C to stop.\n");
}

/** The embedded Toxiproxy-compatible proxy, as its own process; ready once its API answers. */
async function startProxy(root: string): Promise<void> {
  const settings = env();
  await assertPortFree(settings.PROXY_PORT, settings.PROXY_HOST);
  const proxy = startChild(
    "proxy",
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "proxy.ts")],
    {
      ...process.env,
    },
  );
  children.push(proxy);
  proxy.child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(`✖ The proxy exited unexpectedly (${signal ?? `code ${code}`}).`);
    void stopAll().finally(() => process.exit(1));
  });
  await waitUntilReady(`http://${settings.PROXY_HOST}:${settings.PROXY_PORT}/version`, 30_000, "The proxy");
}

async function waitUntilReady(url: string, timeoutMs: number, what = "The web server"): Promise<void> {
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
  throw new AppError("not_ready", `${what} did not become ready within ${timeoutMs / 1000} s: ${last}`);
}

main().catch((error: unknown) => {
  // Users get one sentence for the problems they can fix; a stack only for real bugs.
  if (error instanceof EnvError || error instanceof AppError) console.error(`✖ ${error.message}`);
  else console.error("✖ Faultline failed to start:", error);
  void stopAll().finally(() => process.exit(1));
});
