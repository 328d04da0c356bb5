// Starts project scripts (the worker, the drill CLI) as child processes for tests, with this
// process's environment plus the given variables; their output is kept for failure messages.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../lib/env";

export interface ScriptProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnScript(script: string, args: string[], env: Record<string, string>): ScriptProcess {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot(), script), ...args], {
    env: { ...process.env, ...env },
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

export function spawnWorker(env: Record<string, string>): ScriptProcess {
  return spawnScript(path.join("scripts", "worker.ts"), [], env);
}
