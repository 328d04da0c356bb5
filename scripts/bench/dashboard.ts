// bench:dashboard — does a long run's page stay fast? A seeded one-hour run with three targets
// (3,600 s × 3 = 10,800 one-second windows, each with two HDR histograms) against a one-minute
// run of the same shape, on the production web process:
// 1. server time: the run page's chart data (GET /api/v1/runs/{id}/series) and the whole
//    server-rendered page (GET /runs/{id}), sequential requests, medians;
// 2. browser time in Debian chromium: navigation start until every time chart has drawn its
//    lines, medians over fresh browser contexts.
import { chromium } from "@playwright/test";
import { seedDatabase } from "../../lib/db/seed";
import { createTestDatabase } from "../../testing/database";
import { seedSyntheticRun } from "../../testing/synthetic-run";
import { startWebServer, TEST_ADMIN_TOKEN } from "../../testing/web-server";
import { withBenchServer } from "./server";
import { formatMs, median } from "./stats";

const SERVER_ROUNDS = 10;
const BROWSER_ROUNDS = 5;
/** Every time chart on the run page marks itself ready once recharts has drawn its lines. */
const CHARTS_DRAWN = "[data-chart-ready='true']";

export async function benchDashboard(): Promise<void> {
  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench_dashboard" });
    try {
      await seedDatabase(database.url);
      const seeded = performance.now();
      const hour = await seedSyntheticRun({ databaseUrl: database.url, durationSeconds: 3600, seed: 1 });
      console.log(
        `Seeded a one-hour, three-target run: ${hour.windows} windows in ${((performance.now() - seeded) / 1000).toFixed(1)} s (synthetic: windows drawn from seeded latency and accuracy models)`,
      );
      const minute = await seedSyntheticRun({ databaseUrl: database.url, durationSeconds: 60, seed: 2 });
      const web = await startWebServer({
        DATABASE_URL: database.url,
        FAULTLINE_MODELS: "tesseract-eng-line",
      });
      try {
        const rows: string[][] = [];
        const figures = new Map<string, { series: number; page: number; browser: number }>();
        // Pages take the browser's session cookie, as a signed-in user's browser sends it.
        const cookie = await sessionCookie(web.url);
        for (const [label, run] of [
          ["1 min", minute],
          ["1 hour", hour],
        ] as const) {
          const series = await timeRequests(`${web.url}/api/v1/runs/${run.runId}/series`, bearer);
          const page = await timeRequests(`${web.url}/runs/${run.runId}`, { cookie });
          const browser = await timeBrowser(`${web.url}/runs/${run.runId}`);
          figures.set(label, { series: series.median, page: page.median, browser: browser.median });
          rows.push([
            label,
            String(run.windows),
            `${formatMs(series.median)} (${(series.bytes / 1024).toFixed(0)} KiB)`,
            `${formatMs(page.median)} (${(page.bytes / 1024).toFixed(0)} KiB)`,
            formatMs(browser.median),
            formatMs(browser.dcl),
          ]);
        }
        printTable(
          [
            "run",
            "windows",
            "series JSON (server)",
            "run page HTML (server)",
            "chromium: charts drawn",
            "DOMContentLoaded",
          ],
          rows,
        );
        const short = figures.get("1 min");
        const long = figures.get("1 hour");
        if (short && long) {
          console.log(
            `One hour vs one minute (60× the windows): series ${(long.series / short.series).toFixed(1)}×, page ${(long.page / short.page).toFixed(1)}×, chromium ${(long.browser / short.browser).toFixed(1)}×`,
          );
        }
      } finally {
        await web.stop();
      }
    } finally {
      await database.drop();
    }
  });
}

const bearer = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

async function sessionCookie(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
  return (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

async function timeRequests(
  url: string,
  headers: Record<string, string>,
): Promise<{ median: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  // One untimed request first: the route's first call compiles and warms its code paths.
  for (let round = 0; round <= SERVER_ROUNDS; round++) {
    const started = performance.now();
    // A redirect (to sign-in) would time the wrong page: refuse it.
    const response = await fetch(url, { headers, redirect: "manual" });
    const body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (round > 0) times.push(performance.now() - started);
    bytes = body.byteLength;
  }
  return { median: median(times), bytes };
}

async function timeBrowser(url: string): Promise<{ median: number; dcl: number }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const times: number[] = [];
    const dcls: number[] = [];
    for (let round = 0; round <= BROWSER_ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const origin = new URL(url).origin;
      const signIn = await context.request.post(`${origin}/api/v1/session`, {
        data: { token: TEST_ADMIN_TOKEN },
        headers: { origin },
      });
      if (!signIn.ok()) throw new Error(`sign-in answered ${signIn.status()}`);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(url);
      await page.locator(CHARTS_DRAWN).first().waitFor({ timeout: 60_000 });
      const charts = await page.locator("[data-chart-ready]").count();
      await page.waitForFunction(
        (count) => document.querySelectorAll("[data-chart-ready='true']").length === count,
        charts,
        { timeout: 60_000 },
      );
      const elapsed = performance.now() - started;
      const dcl = await page.evaluate(() => {
        const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
        return navigation ? navigation.domContentLoadedEventEnd : Number.NaN;
      });
      if (round > 0) {
        times.push(elapsed);
        dcls.push(dcl);
      }
      await context.close();
    }
    return { median: median(times), dcl: median(dcls) };
  } finally {
    await browser.close();
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] as number)).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
