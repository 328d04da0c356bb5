import { expect, test } from "@playwright/test";
import { operator, signIn } from "./support";

test("Halt on the overview clears an active fault, and the API confirms it", async ({ page, baseURL }) => {
  await signIn(page, baseURL as string);
  const created = await page.request.post("/api/v1/faults", {
    headers: operator,
    data: { type: "latency", latencyMs: 50, ttlSeconds: 120, scope: { run: "e2e-halt" } },
  });
  expect(created.status()).toBe(201);
  try {
    await page.goto("/");
    const faults = page.getByRole("region", { name: "Active faults" });
    const leases = faults.getByRole("table", { name: "Active fault leases" });
    await expect(leases.getByRole("row")).toHaveCount(2);
    await expect(leases).toContainText("latency");
    await page.screenshot({ path: "docs/screenshots/overview.png", fullPage: true });
    await faults.getByRole("button", { name: "Halt chaos" }).click();
    await page
      .getByRole("dialog", { name: "Halt all faults?" })
      .getByRole("button", { name: "Halt all faults" })
      .click();
    await expect(page.getByRole("status", { name: "Chaos halted" })).toBeVisible();

    const listed = (await (await page.request.get("/api/v1/faults", { headers: operator })).json()) as {
      halted: boolean;
      faults: unknown[];
    };
    expect(listed.halted).toBe(true);
    expect(listed.faults).toEqual([]);
  } finally {
    // Later tests inject faults: leave chaos armed.
    expect((await page.request.post("/api/v1/faults/arm", { headers: operator })).status()).toBe(200);
  }
});
