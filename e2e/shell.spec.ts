import { expect, test } from "@playwright/test";

test("the overview reads the database and says what to do next", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const totals = page.getByLabel("Totals");
  await expect(totals.getByText("Model versions")).toBeVisible();
  await expect(totals.getByText("Runs")).toBeVisible();
  await expect(page.getByRole("region", { name: "No drills have run yet" })).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/overview-empty.png", fullPage: true });
});

test("every section of the navigation opens its page", async ({ page }) => {
  await page.goto("/");
  const sections: Array<[string, string]> = [
    ["Experiments", "Experiments"],
    ["Compare", "Compare"],
    ["Models", "Models"],
    ["Schedules", "Schedules"],
    ["Audit", "Audit log"],
    ["Overview", "Overview"],
  ];
  const nav = page.getByRole("navigation", { name: "Sections" });
  for (const [link, heading] of sections) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("readiness lists its checks and passes on a migrated database", async ({ request }) => {
  const response = await request.get("/api/ready");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe("ready");
  expect(body.checks.map((check: { name: string }) => check.name)).toEqual([
    "database",
    "migrations",
    "models",
  ]);
  expect(body.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
});
