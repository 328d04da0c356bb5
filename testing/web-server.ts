// Starts the production web process (scripts/serve.ts) (the build `npm test` made) on a free port for tests that
// must talk HTTP to the real thing, and stops it afterwards.
import { type ChildProcess, spawn } from "node:child_process";
import { projectRoot } from "../lib/env";
import { freePort } from "../lib/net/free-port";
import { webProcessArgs } from "../lib/server/web-command";

/** The admin token test servers accept (unless a test passes its own FAULTLINE_ADMIN_TOKEN). */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

export interface WebServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startWebServer(
  env: Record<string, string>,
  readyTimeoutMs = 120_000,
): Promise<WebServer> {
  const port = await freePort();
  const root = projectRoot();
  let output = "";
  const child = spawn(process.execPath, webProcessArgs(root, { port, host: "127.0.0.1" }), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      FAULTLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ...env,
    },
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (true) {
    if (child.exitCode !== null) throw new Error(`The web process exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/ready`);
      if (response.ok) break;
      // A model that failed to load will not recover by waiting: fail now, with the reason.
      const body = (await response.json()) as { checks?: Array<{ name: string; detail: string }> };
      const models = body.checks?.find((check) => check.name === "models");
      if (models?.detail.includes("failed to load")) {
        await stop();
        throw new Error(`next start is up but not ready: ${models.detail}\n${output}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("next start is up")) throw error;
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start was not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, child, output: () => output, stop };
}
