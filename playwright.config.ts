// E2E tests run in Debian's chromium (never a downloaded browser) against the production build,
// served by the web process (scripts/serve.ts) on a database that `npm test` creates, migrates and seeds.
import { defineConfig } from "@playwright/test";
import { webProcessArgs } from "./lib/server/web-command";

const port = Number(process.env.E2E_PORT ?? 3100);
const proxyPort = Number(process.env.E2E_PROXY_PORT ?? 8475);
const baseURL = `http://127.0.0.1:${port}`;
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789";
export const SIGNED_IN_STATE = "test-results/.signed-in.json";
export const sharedEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? "",
  FAULTLINE_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
  PROXY_HOST: "127.0.0.1",
  PROXY_PORT: String(proxyPort),
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [["list"], ["json"]],
  use: {
    baseURL,
    storageState: SIGNED_IN_STATE,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // The whole product as `npm start` runs it: the embedded proxy, the web process and (from
  // globalSetup, as it serves no HTTP to wait on) a worker that executes drills launched from the
  // browser; network faults go through the proxy.
  // Pages first checked on the freshly seeded database (empty states), then the drills that fill it.
  projects: [
    { name: "fresh", testMatch: /(shell|models)\.spec\.ts$/ },
    {
      name: "drills",
      testMatch: /(sign-in|halt|drill-run|compare|schedules|editor|operate)\.spec\.ts$/,
      dependencies: ["fresh"],
    },
    // Synthetic runs last, so that no screenshot above shows them.
    { name: "synthetic", testMatch: /compare-runs\.spec\.ts$/, dependencies: ["drills"] },
  ],
  globalSetup: "./e2e/global-setup.ts",
  webServer: [
    {
      command: [process.execPath, "--import", "tsx", "scripts/proxy.ts"].join(" "),
      url: `http://127.0.0.1:${proxyPort}/version`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      env: { PROXY_HOST: "127.0.0.1", PROXY_PORT: String(proxyPort) },
    },
    {
      command: [process.execPath, ...webProcessArgs(".", { port, host: "127.0.0.1" })].join(" "),
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...sharedEnv, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    },
  ],
});
