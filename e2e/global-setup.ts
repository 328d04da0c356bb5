// The worker for e2e runs: started once the web process answers (Playwright starts webServer
// entries before globalSetup), stopped when the suite ends; and a signed-in browser state.
import { type FullConfig, request } from "@playwright/test";
import { E2E_ADMIN_TOKEN, SIGNED_IN_STATE, sharedEnv } from "../playwright.config";
import { spawnWorker } from "../testing/worker-process";

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
  // Every page needs a signed-in browser: sign in once and let each test start from that cookie
  // (the sign-in test starts from an empty state instead).
  const context = await request.newContext({ baseURL });
  const response = await context.post("/api/v1/session", {
    data: { token: E2E_ADMIN_TOKEN },
    headers: { origin: baseURL },
  });
  if (!response.ok()) throw new Error(`e2e sign-in answered ${response.status()}: ${await response.text()}`);
  await context.storageState({ path: SIGNED_IN_STATE });
  await context.dispose();
  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
  };
}
