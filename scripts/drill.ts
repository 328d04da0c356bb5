// `npm run drill -- <spec.yaml> [--json out.json] [--junit out.xml] [--url http://…]`: saves the
// spec to a running Faultline, enqueues a run (a worker executes it), shows live progress per
// target, prints the summary, and exits 0 when the hypothesis holds (pass or warn), 99 when an
// SLO fails, 1 when no verdict is possible (invalid, aborted, errored) or on error. Ctrl-C aborts
// the run; its faults are rolled back before it ends. With no --url or FAULTLINE_WEB_URL it finds
// the instance `npm start` runs from this folder: the URL and admin token the launcher wrote to the
// data folder (FAULTLINE_DATA_DIR, .data by default), else http://HOST:PORT.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { describeError } from "../kernel/errors";
import { ADMIN_TOKEN_FILE } from "../lib/auth/admin-token";
import { dataDir, env, localWebUrl, webUrlFile } from "../lib/env";
import { junitReport, junitWithoutVerdict } from "../lib/experiments/junit";
import { loadSpecFile } from "../lib/experiments/load-spec";
import {
  drillExitCode,
  EXIT_ERROR,
  formatRunSummary,
  type RunView,
  recordOfView,
} from "../lib/experiments/summary-table";
import { isFinalRunStatus } from "../lib/runner/run-status";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: "string" }, junit: { type: "string" }, url: { type: "string" } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(
      "Usage: npm run drill -- <spec.yaml|spec.json> [--json out.json] [--junit out.xml] [--url URL]",
    );
    return EXIT_ERROR;
  }
  const settings = env();
  // `npm start` records where it serves; HOST and PORT are the fallback for an instance started otherwise.
  const base = values.url ?? settings.FAULTLINE_WEB_URL ?? (await readRecordedUrl()) ?? localWebUrl(settings);
  const token = settings.FAULTLINE_ADMIN_TOKEN ?? (await readStoredToken());
  const spec = await loadSpecFile(file);
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL(route, base), {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(
        `Faultline is not reachable at ${base} (${describeError(error)}): start it with npm start.`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const message = (JSON.parse(text || "{}") as { error?: { message?: string } }).error?.message ?? text;
      throw new Error(`${method} ${route} → ${response.status}: ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };

  const saved = await call<{ experiment: { id: string; name: string }; version: { version: number } }>(
    "POST",
    "/api/v1/experiments",
    spec,
  );
  const run = await call<{ id: string }>("POST", `/api/v1/experiments/${saved.experiment.id}/runs`, {
    trigger: "cli",
  });
  console.log(
    `▸ ${saved.experiment.name} v${saved.version.version}: run ${run.id} queued (${base}/runs/${run.id})`,
  );

  let aborting = false;
  process.on("SIGINT", () => {
    if (aborting) process.exit(EXIT_ERROR);
    aborting = true;
    console.log("\n▸ Aborting: rolling back the run's faults… (Ctrl-C again to leave without waiting)");
    void call("POST", `/api/v1/runs/${run.id}/abort`).catch((error) => console.error(describeError(error)));
  });

  let view: RunView;
  while (true) {
    view = await call<RunView>("GET", `/api/v1/runs/${run.id}`);
    if (isFinalRunStatus(view.status)) break;
    printProgress(view);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (process.stdout.isTTY) process.stdout.write("\n");
  console.log(formatRunSummary(view));
  if (values.json) await writeFile(values.json, `${JSON.stringify(view, null, 2)}\n`);
  const record = recordOfView(view);
  // Every run with a verdict record gets its JUnit file, invalid and aborted ones included: their
  // errors are what keep a CI from reading them as green.
  if (values.junit && record.verdict) {
    const seconds =
      view.startedAt && view.endedAt ? (Date.parse(view.endedAt) - Date.parse(view.startedAt)) / 1000 : 0;
    await writeFile(values.junit, junitReport(view.experiment.name, record.verdict, seconds));
  } else if (values.junit) {
    await writeFile(values.junit, junitWithoutVerdict(view.experiment.name, view.status, view.error ?? null));
  }
  return drillExitCode(view.status, record);
}

function printProgress(view: RunView): void {
  const progress = view.progress;
  const tty = process.stdout.isTTY;
  if (!progress) {
    if (tty) process.stdout.write(`\r  ${view.status}…`.padEnd(80));
    else console.log(`  ${view.status}…`);
    return;
  }
  const share = progress.expectedArrivals ? progress.arrivals / progress.expectedArrivals : 0;
  const bar = "█".repeat(Math.round(share * 20)).padEnd(20, "░");
  const targets = progress.targets
    .map((target) => {
      const success = target.successRate === null ? "–" : `${(target.successRate * 100).toFixed(1)}%`;
      const p99 = target.p99Ms === null ? "–" : `${Math.round(target.p99Ms)} ms`;
      return `${target.target} ${target.sentPerSecond.toFixed(0)}/s ${success} p99 ${p99}`;
    })
    .join(" | ");
  const behind = progress.behindSchedule ? "  (generator behind schedule)" : "";
  const percent = `${(share * 100).toFixed(0).padStart(3)}%`;
  // A log (CI, a pipe) gets one line per second without the bar; a terminal redraws one line.
  if (tty)
    process.stdout.write(
      `\r${`  ${bar} ${percent}  ${targets}${behind}`.slice(0, process.stdout.columns ?? 200)}`,
    );
  else console.log(`  ${percent}  ${targets}${behind}`);
}

/** The URL the local launcher wrote once ready (removed when it stops), or undefined. */
async function readRecordedUrl(): Promise<string | undefined> {
  const text = await readFile(webUrlFile(), "utf8").catch(() => "");
  const url = text.trim();
  return URL.canParse(url) ? url : undefined;
}

async function readStoredToken(): Promise<string> {
  try {
    return (await readFile(path.join(dataDir(), ADMIN_TOKEN_FILE), "utf8")).trim();
  } catch {
    throw new Error(
      "No admin token: set FAULTLINE_ADMIN_TOKEN, or start Faultline once with npm start (it creates one).",
    );
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`✖ ${describeError(error)}`);
    process.exit(EXIT_ERROR);
  });
