import { expect, type Page, test } from "@playwright/test";
import { operator, signIn } from "./support";

const SEED = 4242;
const spec = {
  name: "operate-rerun",
  targets: [{ name: "fp32", model: "ppocr-v4-rec", role: "candidate" }],
  dataset: { name: "textline-v1", limit: 10 },
  load: { arrival: "constant", rate: 4, maxInFlight: 8, timeoutMs: 5000, seed: SEED },
  phases: [
    { name: "steady", durationSeconds: 2 },
    { name: "slow", durationSeconds: 2, faults: [{ type: "latency", latencyMs: 50, model: "fp32" }] },
  ],
  hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
};

const FINAL = /^(passed|failed|invalid|aborted|errored)$/;
const seedOnPage = (page: Page) =>
  page
    .locator("dl div")
    .filter({ has: page.locator("dt", { hasText: /^Seed$/ }) })
    .locator("dd");

test("an operator launches a short drill, and once it ends reruns it from the run page (refused while chaos is halted)", async ({
  page,
  baseURL,
}) => {
  await signIn(page, baseURL as string);
  const saved = await page.request.post("/api/v1/experiments", { data: spec, headers: operator });
  expect(saved.ok(), await saved.text()).toBe(true);
  const experimentId = ((await saved.json()) as { experiment: { id: string } }).experiment.id;

  await page.goto(`/experiments/${experimentId}`);
  await page.getByRole("button", { name: `Launch ${spec.name}` }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const firstRun = page.url().split("/").pop() as string;
  const status = page.getByRole("status", { name: "Run status" });
  await expect(status).toHaveAttribute("data-status", FINAL, { timeout: 90_000 });
  await expect(seedOnPage(page)).toHaveText(String(SEED));

  // While chaos is halted the rerun is refused, and the page says why and how to arm it.
  const rerun = page.getByRole("button", { name: "Rerun" });
  const halted = await page.request.post("/api/v1/faults/halt", { headers: operator });
  expect(halted.ok()).toBe(true);
  try {
    await rerun.click();
    await expect(
      page.getByRole("alert").filter({
        hasText:
          /chaos_halted Chaos is halted by admin since .+ UTC: arm it \(POST \/api\/v1\/faults\/arm, or Arm chaos on the overview\)/,
      }),
    ).toBeVisible();
    expect(page.url()).toContain(firstRun);
  } finally {
    await page.request.post("/api/v1/faults/arm", { headers: operator });
  }

  await rerun.click();
  await page.waitForURL(
    (url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(firstRun),
  );
  const secondRun = page.url().split("/").pop() as string;
  await expect(seedOnPage(page)).toHaveText(String(SEED));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(spec.name);

  const readRun = async (id: string) =>
    (await (await page.request.get(`/api/v1/runs/${id}`)).json()) as {
      seed: string;
      experimentVersionId: string;
    };
  const first = await readRun(firstRun);
  const second = await readRun(secondRun);
  expect(second.seed).toBe(first.seed);
  expect(second.experimentVersionId).toBe(first.experimentVersionId);
  await expect(status).toHaveAttribute("data-status", FINAL, { timeout: 90_000 });
});
