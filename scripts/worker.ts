// The worker process (`npm run worker`; npm start starts one): executes queued runs and handles
// schedule firings (pg-boss's cron runs in the workers). More can run on other machines with the
// same DATABASE_URL and FAULTLINE_WEB_URL; each run and each firing is handled by one of them.
// Stops on SIGTERM/SIGINT (a run in progress is then left to be marked errored, its faults
// lapsing with their leases) and when its parent goes away.
import path from "node:path";
import { describeError } from "../kernel/errors";
import { ensureAdminToken } from "../lib/auth/admin-token";
import { proxyApiUrl } from "../lib/chaos/runtime";
import { EnvError, env, projectRoot } from "../lib/env";
import { startWorker } from "../lib/runner/worker";
import { onShutdown, stopWhenOrphaned } from "./lib/supervisor";

async function main(): Promise<void> {
  stopWhenOrphaned();
  const settings = env();
  if (!settings.DATABASE_URL) {
    console.error("✖ The worker needs DATABASE_URL (npm start provides it).");
    process.exit(2);
  }
  const root = projectRoot();
  const worker = await startWorker({
    databaseUrl: settings.DATABASE_URL,
    webUrl: settings.FAULTLINE_WEB_URL ?? `http://${settings.HOST}:${settings.PORT}`,
    token: (await ensureAdminToken()).token,
    proxyApiUrl: proxyApiUrl(),
    root,
    datasetsDir: path.join(root, "datasets"),
  });
  onShutdown(() => worker.stop());
}

main().catch((error: unknown) => {
  console.error(`✖ The worker failed: ${error instanceof EnvError ? error.message : describeError(error)}`);
  process.exit(1);
});
