// Benchmarks run against TEST_DATABASE_URL when set, otherwise a throw-away embedded PostgreSQL.
import { rm } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/postgres";
import { env } from "../../lib/env";
import { freePort } from "../../lib/net/free-port";
import { makeScratchDir } from "../../testing/scratch-dir";

export async function withBenchServer(body: (serverUrl: string) => Promise<void>): Promise<void> {
  const given = env().TEST_DATABASE_URL;
  if (given) return body(given);
  const dir = await makeScratchDir("faultline-bench-pg");
  const server = await startEmbeddedPostgres({ dir: path.join(dir, "data"), port: await freePort() });
  try {
    await body(server.url);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
