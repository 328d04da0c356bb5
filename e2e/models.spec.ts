import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The first clean item of the committed text-line dataset and its ground truth.
const dataset = path.join(process.cwd(), "datasets", "textline-v1");
const firstItem = JSON.parse(
  readFileSync(path.join(dataset, "labels.jsonl"), "utf8").split("\n")[0] as string,
) as {
  image: string;
  text: string;
};

test("the models page lists the registered versions with their roles", async ({ page }) => {
  await page.goto("/models");
  await expect(page.getByRole("heading", { level: 1, name: "Models" })).toBeVisible();
  const table = page.getByRole("table");
  await expect(table.getByRole("cell", { name: /ppocr-v4-rec\b/ }).first()).toBeVisible();
  await expect(table.getByText("candidate", { exact: true }).first()).toBeVisible();
  await expect(table.getByText(/breaker closed/).first()).toBeVisible();
  // No evaluation has run on the e2e database: the robustness section says how to get figures.
  const robustness = page.getByRole("region", { name: "Accuracy by corruption" });
  await expect(robustness.getByRole("region", { name: "No robustness figures yet" })).toBeVisible();
});

test("a user uploads an image in the playground and reads the model's answer", async ({ page }) => {
  await page.goto("/models");
  const playground = page.getByRole("region", { name: "Playground" });
  await playground.getByLabel("Model").selectOption("ppocr-v4-rec");
  await playground.getByLabel("Image").setInputFiles(path.join(dataset, firstItem.image));
  await playground.getByRole("button", { name: "Run" }).click();
  const answer = playground.getByRole("region", { name: "Answer" });
  await expect(answer.locator("pre")).toHaveText(firstItem.text);
  await expect(answer).toContainText("Answered by ppocr-v4-rec");
  await page.screenshot({ path: "docs/screenshots/models.png", fullPage: true });
});

test("the playground shows a clear error for a file that is not an image", async ({ page }) => {
  await page.goto("/models");
  const playground = page.getByRole("region", { name: "Playground" });
  await playground
    .getByLabel("Image")
    .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not really a png") });
  await playground.getByRole("button", { name: "Run" }).click();
  await expect(playground.getByRole("alert")).toContainText("invalid_image");
});
