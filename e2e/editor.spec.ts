import { expect, test } from "@playwright/test";

test("the spec editor marks a bad field at its line, indents with Tab, and lets the keyboard leave", async ({
  page,
}) => {
  await page.goto("/experiments/new");
  const editor = page.getByRole("textbox", { name: "Spec (YAML)" });
  const spec = [
    "name: editor-check",
    "targets:",
    "  - { name: a, model: ppocr-v4-rec, role: candidate }",
    "dataset: { name: textline-v1, limit: 5 }",
    "load:",
    "  rate: -3",
    "phases:",
    "  - { name: steady, durationSeconds: 2 }",
  ].join("\n");
  await editor.fill(spec);

  const issues = page.getByRole("list", { name: "Issues" });
  await expect(issues).toContainText("load.rate");
  await expect(page.locator('[data-line="6"][data-invalid="true"]')).toBeVisible();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  // Clicking the issue selects the offending field.
  await issues.getByRole("button", { name: /load\.rate/ }).click();
  expect(
    await editor.evaluate((area: HTMLTextAreaElement) =>
      area.value.slice(area.selectionStart, area.selectionEnd),
    ),
  ).toBe("rate");

  await editor.press("Home");
  await editor.press("Tab");
  expect(await editor.inputValue()).toContain("\n    rate: -3\n");
  await editor.press("Shift+Tab");
  expect(await editor.inputValue()).toContain("\n  rate: -3\n");
  await expect(editor).toBeFocused();

  await editor.press("Escape");
  await editor.press("Tab");
  await expect(editor).not.toBeFocused();
  expect(await editor.inputValue()).toBe(spec);
});
