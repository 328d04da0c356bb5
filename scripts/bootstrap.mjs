// Entry point of `npm start` and `npm test`, in plain Node (nothing is installed yet on a fresh
// clone): check the Node version, install dependencies when node_modules is missing or older than
// package-lock.json (`npm ci` installs exactly the lock and runs the Prisma generate), then run the
// TypeScript script named on the command line IN THIS PROCESS. Staying one process matters: npm
// runs scripts under `sh -c`, which does not pass SIGTERM on, so a child would be orphaned.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`✖ Faultline needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.log("▸ Installing dependencies (npm ci)…");
  const started = Date.now();
  // package.json "allowScripts" keeps onnxruntime-node's postinstall from running; should it run
  // anyway (an npm that ignores the policy), this variable, which it reads itself, makes it a no-op.
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
  });
  if (result.status !== 0) {
    console.error("✖ npm ci failed: see the output above.");
    process.exit(result.status ?? 1);
  }
  console.log(`✔ Dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else if (!existsSync(join(root, "lib", "generated", "prisma", "client.ts"))) {
  const result = spawnSync(process.execPath, [join(root, "scripts", "prisma-generate.mjs")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const [script, ...args] = process.argv.slice(2);
if (script) {
  const { register } = await import("tsx/esm/api");
  register();
  process.argv = [process.argv[0], join(root, script), ...args];
  await import(join(root, script));
}
