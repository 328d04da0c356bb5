// The web process's handle on the run queue (enqueueing only; workers execute). One per process.
import type PgBoss from "pg-boss";
import { StartupError } from "../../kernel/errors";
import { env } from "../env";
import { startQueue } from "./queue";

const globalForQueue = globalThis as unknown as { faultlineQueue?: Promise<PgBoss> };

export function getQueue(): Promise<PgBoss> {
  const url = env().DATABASE_URL;
  if (!url)
    throw new StartupError(
      "database_not_configured",
      "DATABASE_URL is not set: start Faultline with `npm start`.",
    );
  globalForQueue.faultlineQueue ??= startQueue(url, console.error).catch((error) => {
    globalForQueue.faultlineQueue = undefined;
    throw error;
  });
  return globalForQueue.faultlineQueue;
}
