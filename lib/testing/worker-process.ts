// Starts a worker process (scripts/worker.ts) for tests, with this process's environment plus
// the given variables; its output is kept for failure messages.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../env";

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  let output = "";
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot(), "scripts", "worker.ts")],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}
