import { expect, test } from "@playwright/test";
import { sharedEnv } from "../playwright.config";
import { seedSyntheticRun } from "../testing/synthetic-run";

// Two finished runs written straight into the database (no requests sent): the second run's
// candidate is slower and less accurate. Runs after the drills so that the overview screenshots
// never show synthetic runs.
test("a user compares two runs and reads each later candidate against run 1's, as independent samples", async ({
  page,
}) => {
  const targets = (medianMs: number, accuracy: number) => [
    { name: "fp32", model: "ppocr-v4-rec", role: "candidate" as const, medianMs, accuracy },
    { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline" as const, medianMs: 20, accuracy: 0.96 },
  ];
  const first = await seedSyntheticRun({
    databaseUrl: sharedEnv.DATABASE_URL,
    durationSeconds: 120,
    seed: 21,
    targets: targets(24, 0.97),
  });
  const second = await seedSyntheticRun({
    databaseUrl: sharedEnv.DATABASE_URL,
    durationSeconds: 120,
    seed: 22,
    targets: targets(60, 0.8),
  });

  await page.goto(`/compare?run=${first.runId}&run=${second.runId}`);
  const across = page.getByRole("region", { name: "Across runs" });
  await expect(across).toBeVisible();
  const line = across.getByRole("list", { name: "Across-run verdicts" }).getByRole("listitem");
  await expect(line).toHaveCount(1);
  await expect(line).toHaveAttribute("data-accuracy-verdict", "worse");
  await expect(line).toHaveAttribute("data-p99-verdict", "worse");
  await expect(line).toContainText("run 2 · fp32 vs run 1 · fp32:");
  await expect(
    across.getByRole("table", { name: "Accuracy differences across runs" }).getByRole("row"),
  ).toHaveCount(2);
  await expect(
    across.getByRole("table", { name: "P99 differences across runs" }).getByRole("row"),
  ).toHaveCount(2);
});
