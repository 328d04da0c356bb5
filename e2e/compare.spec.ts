import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { operator, waitForRunStatus } from "./support";

const spec = readFileSync(path.join(process.cwd(), "e2e", "fixtures", "three-models.yaml"), "utf8");

test("a user opens Compare for a finished three-target run and reads the verdict, table and paired differences", async ({
  page,
}) => {
  const saved = await page.request.post("/api/v1/experiments", {
    headers: { ...operator, "content-type": "application/yaml" },
    data: spec,
  });
  expect(saved.status(), await saved.text()).toBeLessThan(300);
  const experimentId = ((await saved.json()) as { experiment: { id: string } }).experiment.id;
  const queued = await page.request.post(`/api/v1/experiments/${experimentId}/runs`, { headers: operator });
  expect(queued.status(), await queued.text()).toBe(201);
  const runId = ((await queued.json()) as { id: string }).id;
  const status = await waitForRunStatus(page, runId, ["passed", "failed", "aborted", "errored"]);
  expect(["passed", "failed"]).toContain(status);

  // The finished run's own page: complete charts, verdicts and a clean residual check.
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("status", { name: "Run status" })).toHaveAttribute("data-status", status);
  await expect(page.getByRole("region", { name: "Residual-fault check" })).toHaveAttribute(
    "data-state",
    "clean",
  );
  await expect(page.getByRole("table", { name: "SLO verdict table" })).toBeVisible();
  await expect(page.locator("[data-chart-ready='true']").first()).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/run-detail.png", fullPage: true });

  await page.getByRole("link", { name: "Compare this run" }).click();
  await page.waitForURL(new RegExp(`/compare\\?run=${runId}`));

  const verdict = page.getByRole("region", { name: "Candidate verdict" });
  await expect(verdict.getByTestId("verdict-summary")).toContainText("Candidate fp32");
  for (const baseline of ["int8", "int6"]) {
    const line = verdict.locator(`li[data-baseline="${baseline}"]`);
    await expect(line).toHaveAttribute("data-accuracy-verdict", /^(better|worse|inconclusive)$/);
    await expect(line).toHaveAttribute("data-p99-verdict", /^(better|worse|inconclusive)$/);
    await expect(line).toContainText(`fp32 vs ${baseline}`);
  }

  const leaderboard = page.getByRole("table", { name: "Leaderboard" });
  await expect(leaderboard.locator("tbody tr[data-target]")).toHaveCount(3);
  await expect(leaderboard.locator('tbody tr[data-role="candidate"]')).toHaveAttribute("data-target", "fp32");
  for (const column of ["accuracy", "successRate", "p99", "throughput", "resilience"]) {
    await expect(
      leaderboard.locator(`tbody tr[data-target="int6"] td[data-column="${column}"]`),
    ).not.toBeEmpty();
  }

  const differences = page.getByRole("region", { name: "Paired differences" });
  for (const table of ["Paired accuracy differences", "Paired P99 differences"]) {
    const rows = differences.getByRole("table", { name: table }).locator("tr[data-baseline]");
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute("data-verdict", /^(better|worse|inconclusive)$/);
      await expect(row).toContainText("[");
    }
  }
  await expect(page.getByRole("figure", { name: "Accuracy vs severity: gaussian_blur" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Latency percentiles" })).toBeVisible();

  // Differences only: a shareable URL parameter.
  await page.getByRole("switch", { name: "Differences only" }).click();
  await expect(page).toHaveURL(/diff=1/);
  await page.screenshot({ path: "docs/screenshots/compare.png", fullPage: true });
});
