import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { operator } from "./support";

const fixture = readFileSync(path.join(process.cwd(), "e2e", "fixtures", "three-models.yaml"), "utf8");

interface ScheduleBody {
  id: string;
  cron: string;
  timezone: string;
  overlapPolicy: string;
  nextRunAt: string | null;
}

/** As the dashboard shows a timestamp (lib/format.ts). */
const shown = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

test("an admin creates a schedule, edits its cron and time zone, sees a field error, and deletes it", async ({
  page,
}) => {
  const name = `e2e-schedule-edit-${Date.now()}`;
  const saved = await page.request.post("/api/v1/experiments", {
    headers: { ...operator, "content-type": "application/yaml" },
    data: fixture.replace(/^name: .*$/m, `name: ${name}`),
  });
  expect(saved.status(), await saved.text()).toBeLessThan(300);

  let scheduleId: string | null = null;
  try {
    // Create it on the list page.
    await page.goto("/schedules");
    const create = page.getByRole("form", { name: "New schedule" });
    await create.getByLabel("Experiment").selectOption({ label: name });
    await create.getByLabel("Cron").fill("0 3 * * *");
    await create.getByLabel("Time zone").fill("UTC");
    await create.getByLabel("When the previous run is still going").selectOption("skip");
    await create.getByRole("button", { name: "Create schedule" }).click();
    await expect(create.getByRole("status")).toContainText("Created; next run");

    // Listed, with its next run.
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("0 3 * * *");
    await row.getByRole("link", { name: `History of ${name}'s schedule` }).click();
    await page.waitForURL(/\/schedules\/[0-9a-f-]{36}$/);
    scheduleId = new URL(page.url()).pathname.split("/").pop() as string;
    const before = (await (
      await page.request.get(`/api/v1/schedules/${scheduleId}`, { headers: operator })
    ).json()) as ScheduleBody;
    expect(before).toMatchObject({ cron: "0 3 * * *", timezone: "UTC", overlapPolicy: "skip" });
    expect(before.nextRunAt).not.toBeNull();
    await page.goBack();
    await expect(row).toContainText(shown(before.nextRunAt as string));
    await row.getByRole("link", { name: `History of ${name}'s schedule` }).click();
    await page.waitForURL(`**/schedules/${scheduleId}`);

    // Edit the cron and time zone on the schedule's own page.
    const edit = page.getByRole("form", { name: "Edit schedule" });
    await expect(edit.getByLabel("Cron")).toHaveValue("0 3 * * *");
    await edit.getByLabel("Cron").fill("30 4 * * 1");
    await edit.getByLabel("Time zone").fill("Europe/Paris");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByRole("status")).toContainText("Saved; next run");

    const after = (await (
      await page.request.get(`/api/v1/schedules/${scheduleId}`, { headers: operator })
    ).json()) as ScheduleBody;
    expect(after).toMatchObject({ cron: "30 4 * * 1", timezone: "Europe/Paris", overlapPolicy: "skip" });
    expect(after.nextRunAt).not.toBeNull();
    expect(after.nextRunAt).not.toBe(before.nextRunAt);
    // The page refreshed: its details show the new timing and next run.
    const details = page.locator("dl");
    await expect(details).toContainText("30 4 * * 1");
    await expect(details).toContainText("Europe/Paris");
    await expect(details).toContainText(shown(after.nextRunAt as string));

    // A bad cron: the API's 400 shows at the field, and nothing changes.
    await edit.getByLabel("Cron").fill("every monday");
    await edit.getByRole("button", { name: "Save changes" }).click();
    const cron = edit.getByLabel("Cron");
    await expect(cron).toHaveAttribute("aria-invalid", "true");
    await expect(cron).toHaveAccessibleDescription(/must have 5 fields/);
    const unchanged = (await (
      await page.request.get(`/api/v1/schedules/${scheduleId}`, { headers: operator })
    ).json()) as ScheduleBody;
    expect(unchanged.cron).toBe("30 4 * * 1");

    // Delete it through the UI, so that no cron fires during the rest of the suite.
    await page.getByRole("button", { name: `Delete the schedule of ${name}` }).click();
    await page
      .getByRole("dialog", { name: "Delete this schedule?" })
      .getByRole("button", { name: "Delete schedule" })
      .click();
    await page.waitForURL(/\/schedules$/);
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
    const gone = await page.request.get(`/api/v1/schedules/${scheduleId}`, { headers: operator });
    expect(gone.status()).toBe(404);
    scheduleId = null;
  } finally {
    if (scheduleId) await page.request.delete(`/api/v1/schedules/${scheduleId}`, { headers: operator });
  }
});
