// Decides whether the Next.js production build is stale: a hash over every input of the build,
// stored beside it. Rebuilding only when something changed keeps `npm start` quick on restarts.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const INPUT_DIRS = ["app", "components", "kernel", "lib", "chaos", "public"];
const INPUT_FILES = ["package-lock.json", "next.config.ts", "tsconfig.json", "prisma/schema.prisma"];
const STAMP = "faultline-build.json";

export async function hashBuildInputs(root: string): Promise<string> {
  const hash = createHash("sha256");
  const files = [...INPUT_FILES.map((file) => path.join(root, file))];
  for (const dir of INPUT_DIRS) files.push(...(await listSources(path.join(root, dir))));
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    hash
      .update(path.relative(root, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  }
  return hash.digest("hex");
}

async function listSources(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !/\.(int\.)?test\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export async function isBuildCurrent(root: string, inputsHash: string): Promise<boolean> {
  const stamp = path.join(root, ".next", STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, ".next", "BUILD_ID"))) return false;
  const recorded = JSON.parse(await readFile(stamp, "utf8")) as { inputsHash?: string };
  return recorded.inputsHash === inputsHash;
}

/** Builds when stale; returns whether it built. Output streams through so progress is visible. */
export async function buildIfStale(root: string, log: (message: string) => void): Promise<boolean> {
  const inputsHash = await hashBuildInputs(root);
  if (await isBuildCurrent(root, inputsHash)) return false;
  log("Building the web app (next build)…");
  const started = Date.now();
  await runChild(process.execPath, [nextBin(root), "build"], root, { NEXT_TELEMETRY_DISABLED: "1" });
  await writeFile(
    path.join(root, ".next", STAMP),
    `${JSON.stringify({ inputsHash, builtAt: new Date() })}\n`,
  );
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

export function nextBin(root: string): string {
  return path.join(root, "node_modules", "next", "dist", "bin", "next");
}

export function runChild(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit", env: { ...process.env, ...extraEnv } });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${path.basename(args[0] ?? command)} ${args.slice(1).join(" ")} exited with ${signal ?? code}`,
            ),
          ),
    );
  });
}
