import { expect, test } from "@playwright/test";
import { operator, signIn } from "./support";

test("a user launches the shipped latency drill, watches it move with the fault phase shaded, and aborts it", async ({
  page,
  baseURL,
}) => {
  await signIn(page, baseURL as string);
  await page.goto("/experiments");
  await page.getByRole("button", { name: "Launch latency-drill" }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split("/").pop() as string;

  const status = page.getByRole("status", { name: "Run status" });
  await expect(status).toHaveAttribute("data-status", "running", { timeout: 60_000 });

  // The charts move: the drawn points grow as the worker's windows arrive over the event stream.
  const p99 = page.locator('figure[aria-label="P99 latency"]');
  const points = async () => Number((await p99.getAttribute("data-points")) ?? 0);
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(0);
  const before = await points();
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(before);

  // Every time chart shades and labels the faulted phase.
  const charts = page.locator("figure[data-chart-ready]");
  expect(await charts.count()).toBeGreaterThanOrEqual(5);
  for (const chart of await charts.all()) {
    await expect(chart).toHaveAttribute("data-faulted-phases", /network-latency/);
    await expect(chart.locator('text.phase-label-faulted[data-phase="network-latency"]')).toBeVisible();
  }
  // Into the fault phase (from 25 s): the fault shows as started on the page.
  await expect(page.getByRole("progressbar", { name: "Run progress" })).toHaveAttribute(
    "aria-valuetext",
    /phase network-latency/,
    { timeout: 45_000 },
  );
  await expect(
    page.getByRole("table", { name: "Fault events timeline" }).locator('tr[data-event="started"]'),
  ).toHaveCount(1, { timeout: 15_000 });
  await page.screenshot({ path: "docs/screenshots/run-live.png", fullPage: true });

  await page.getByRole("button", { name: "Abort run" }).click();
  await page
    .getByRole("dialog", { name: "Abort this run?" })
    .getByRole("button", { name: "Abort run" })
    .click();
  await expect(status).toHaveAttribute("data-status", "aborted", { timeout: 60_000 });
  await expect(page.getByRole("region", { name: "Residual-fault check" })).toHaveAttribute(
    "data-state",
    "clean",
    {
      timeout: 30_000,
    },
  );

  const run = (await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string };
  expect(run.status).toBe("aborted");
  const faults = (await (await page.request.get("/api/v1/faults", { headers: operator })).json()) as {
    faults: unknown[];
  };
  expect(faults.faults).toEqual([]);
});
