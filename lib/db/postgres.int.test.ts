// The embedded PostgreSQL as a fresh machine meets it: first start, reuse, and the failures a
// user can cause (taken port, foreign data folder, unreachable server), each one clear sentence.
import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { StartupError } from "../../kernel/errors";
import { makeScratchDir } from "../../testing/scratch-dir";
import { freePort } from "../net/free-port";
import { assertReachable, startEmbeddedPostgres } from "./postgres";

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const isStartupError = (code: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof StartupError, `expected a StartupError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.match(error.message, message);
  return true;
};

describe("embedded PostgreSQL", () => {
  let workDir: string;
  before(async () => {
    workDir = await makeScratchDir("faultline-embedded");
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it("creates its data folder on first start and reuses it, data included, on the next", async () => {
    const dir = path.join(workDir, "reuse");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dir, port });
    await query(first.url, "create table kept (value text); insert into kept values ('still here')");
    await first.stop();

    const messages: string[] = [];
    const second = await startEmbeddedPostgres({ dir, port, log: (m) => messages.push(m) });
    try {
      assert.ok(
        !messages.some((m) => m.startsWith("Creating")),
        "the second start must not initialise again",
      );
      const rows = await query(second.url, "select value from kept");
      assert.deepEqual(rows.rows, [{ value: "still here" }]);
    } finally {
      await second.stop();
    }
    await assert.rejects(query(second.url, "select 1"), "the server must be down after stop()");
  });

  it("refuses a taken port with one sentence naming the way out", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await assert.rejects(
        startEmbeddedPostgres({ dir: path.join(workDir, "taken"), port }),
        isStartupError("port_in_use", new RegExp(`Port ${port} .* already in use.*EMBEDDED_PG_PORT`)),
      );
    } finally {
      blocker.close();
    }
  });

  it("refuses a data folder made by another PostgreSQL version", async () => {
    const dir = path.join(workDir, "old-version");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "PG_VERSION"), "15\n");
    await assert.rejects(
      startEmbeddedPostgres({ dir, port: await freePort() }),
      isStartupError(
        "embedded_pg_version_mismatch",
        /made by PostgreSQL 15, but Faultline embeds PostgreSQL 18/,
      ),
    );
  });

  it("refuses a folder that is not a PostgreSQL data folder", async () => {
    const dir = path.join(workDir, "not-postgres");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "notes.txt"), "mine");
    await assert.rejects(
      startEmbeddedPostgres({ dir, port: await freePort() }),
      isStartupError("embedded_pg_bad_data_dir", /is not a PostgreSQL data folder/),
    );
  });
});

describe("an external server", () => {
  it("that is unreachable gives one sentence naming it and the reason", async () => {
    const port = await freePort();
    await assert.rejects(
      assertReachable(`postgresql://user:secret@127.0.0.1:${port}/faultline`, "DATABASE_URL", 2000),
      (error: unknown) => {
        isStartupError(
          "database_unreachable",
          new RegExp(`127\\.0\\.0\\.1:${port}/faultline \\(DATABASE_URL\\)`),
        )(error);
        assert.match((error as Error).message, /connection refused/);
        assert.doesNotMatch((error as Error).message, /secret/, "credentials must not leak into messages");
        return true;
      },
    );
  });
});
