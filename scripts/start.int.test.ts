// `npm start` end to end, as a user runs it: a real launcher process, a real PostgreSQL (embedded
// or at DATABASE_URL), the production Next.js server, and SIGTERM leaving nothing behind.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { freePort } from "../lib/net/free-port";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { makeScratchDir } from "../testing/scratch-dir";

const root = path.resolve(import.meta.dirname, "..");

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launched {
  let output = "";
  const child = spawn(process.execPath, ["scripts/bootstrap.mjs", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(launched: Launched, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(launched.output())) {
    if (launched.child.exitCode !== null) assert.fail(`the launcher exited early:\n${launched.output()}`);
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${pattern}:\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every process below `pid`, read from /proc (children of children included). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z";
  } catch {
    return false;
  }
}

function postgresServing(dir: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function stopAndCheckNothingLeft(launched: Launched): Promise<void> {
  const pid = launched.child.pid as number;
  const started = descendants(pid);
  assert.ok(started.length > 0, "the launcher should have started the web server");
  launched.child.kill("SIGTERM");
  const code = await launched.exited;
  assert.notEqual(code, null, "the launcher must exit by itself after SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const left = started.filter(alive);
  assert.deepEqual(left, [], `processes left behind after SIGTERM: ${left.join(", ")}`);
}

async function getJson(
  url: string,
): Promise<{ status: number; body: { status: string; checks: Array<{ name: string; ok: boolean }> } }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe("npm start with DATABASE_URL", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase({ migrate: false, prefix: "faultline_launch" });
  });
  after(async () => {
    await database.drop();
  });

  it("uses that server (no embedded one), creates the schema there and serves ready", async () => {
    const port = await freePort();
    const launched = launch({
      DATABASE_URL: database.url,
      PORT: String(port),
      PROXY_PORT: String(await freePort()),
      FAULTLINE_ADMIN_TOKEN: "launcher-test-token-0123456789",
    });
    await waitForOutput(launched, /Faultline is running at/);
    assert.match(launched.output(), /Using the PostgreSQL at DATABASE_URL/);
    assert.doesNotMatch(launched.output(), /Embedded PostgreSQL/);
    assert.ok(
      !descendants(launched.child.pid as number).some((pid) => {
        try {
          return /postgres/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
        } catch {
          return false;
        }
      }),
      "no PostgreSQL process may be started when DATABASE_URL is set",
    );

    const ready = await getJson(`http://127.0.0.1:${port}/api/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(
      ready.body.checks.map((check) => [check.name, check.ok]),
      [
        ["database", true],
        ["migrations", true],
        ["models", true],
      ],
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const tables = await client.query(
      "select count(*)::int as n from _prisma_migrations where finished_at is not null",
    );
    await client.end();
    assert.ok(tables.rows[0].n >= 1, "the migrations were applied to the DATABASE_URL database");

    await stopAndCheckNothingLeft(launched);
  });
});

describe("npm start without DATABASE_URL", () => {
  let dataDir: string;
  before(async () => {
    dataDir = await makeScratchDir("faultline-launch");
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts an embedded PostgreSQL, reuses it on the next start, and stops it on SIGTERM", async () => {
    const proxyPort = await freePort();
    const env = {
      FAULTLINE_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PROXY_PORT: String(proxyPort),
      FAULTLINE_ADMIN_TOKEN: "",
    };
    const first = launch({ ...env, PORT: String(await freePort()) });
    await waitForOutput(first, /Press Ctrl-C to stop/);
    assert.match(first.output(), /Creating the embedded PostgreSQL 18 data folder/);
    assert.match(first.output(), /Migrations: applied /);
    // The proxy runs as its own process, and the admin token is generated, stored and shown once.
    const version = await fetch(`http://127.0.0.1:${proxyPort}/version`);
    assert.match(await version.text(), /"version"/);
    const token = /Admin token \(shown once[^\n]*\n\s+(\S+)/.exec(first.output())?.[1];
    assert.ok(token, `the first start prints the admin token:\n${first.output()}`);
    const tokenFile = path.join(dataDir, "admin-token");
    assert.equal(readFileSync(tokenFile, "utf8").trim(), token);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    await stopAndCheckNothingLeft(first);
    assert.deepEqual(
      postgresServing(path.join(dataDir, "postgres")),
      [],
      "the embedded PostgreSQL must stop",
    );

    const port = await freePort();
    const second = launch({ ...env, PORT: String(port) });
    await waitForOutput(second, /Press Ctrl-C to stop/);
    assert.doesNotMatch(second.output(), /Creating the embedded PostgreSQL/);
    assert.doesNotMatch(second.output(), /Admin token/);
    const faults = await fetch(`http://127.0.0.1:${port}/api/v1/faults`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(faults.status, 200, "the stored token opens the control API");
    assert.match(second.output(), /Migrations: none pending/);
    assert.equal((await getJson(`http://127.0.0.1:${port}/api/ready`)).status, 200);
    await stopAndCheckNothingLeft(second);
    assert.deepEqual(postgresServing(path.join(dataDir, "postgres")), []);
  });
});

describe("npm start with bad settings", () => {
  it("explains an invalid variable in one sentence and exits non-zero", async () => {
    const launched = launch({ PORT: "eighty" });
    const code = await launched.exited;
    assert.notEqual(code, 0);
    assert.match(launched.output(), /✖ Invalid configuration:\n {2}- PORT must be a number \(got "eighty"\)/);
    assert.doesNotMatch(launched.output(), /\n\s+at /, "no stack trace");
  });

  it("names an unreachable DATABASE_URL and exits non-zero", async () => {
    const port = await freePort();
    const launched = launch({
      DATABASE_URL: `postgresql://nobody@127.0.0.1:${port}/faultline`,
      PORT: String(await freePort()),
    });
    const code = await launched.exited;
    assert.notEqual(code, 0);
    assert.match(
      launched.output(),
      new RegExp(
        `✖ Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/faultline \\(DATABASE_URL\\): connection refused`,
      ),
    );
    assert.doesNotMatch(launched.output(), /\n\s+at /, "no stack trace");
  });
});
