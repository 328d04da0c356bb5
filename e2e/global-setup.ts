// The worker for e2e runs: started once the web process answers (Playwright starts webServer
// entries before globalSetup), stopped when the suite ends.
import type { FullConfig } from "@playwright/test";
import { spawnWorker } from "../lib/testing/worker-process";
import { sharedEnv } from "../playwright.config";

export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL as string;
  const worker = spawnWorker({ ...sharedEnv, FAULTLINE_WEB_URL: baseURL });
  const deadline = Date.now() + 60_000;
  while (!worker.output().includes("waiting for runs")) {
    if (worker.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`The e2e worker did not start:\n${worker.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
  };
}
