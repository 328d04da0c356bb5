import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";

// A browser that has never signed in.
test.use({ storageState: { cookies: [], origins: [] } });

test("an unauthenticated browser is sent to sign-in, and back to its page after", async ({ page }) => {
  await page.goto("/compare");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcompare$/);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel(/token/i).fill(E2E_ADMIN_TOKEN);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/compare$/);
  await expect(page.getByRole("heading", { level: 1, name: "Compare" })).toBeVisible();
});

test("a wrong token is refused with a message; the right one signs in, and sign-out works", async ({
  page,
}) => {
  await page.goto("/sign-in?next=/experiments");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel(/token/i).fill("not-the-token");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByRole("alert")).toHaveText("That token is not valid.");

  await form.getByLabel(/token/i).fill(E2E_ADMIN_TOKEN);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/experiments$/);
  const session = page.getByLabel("Session");
  await expect(session).toContainText("Signed in as admin");
  const cookie = (await page.context().cookies()).find((entry) => entry.name === "faultline_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");

  await session.getByRole("button", { name: "Sign out" }).click();
  await expect(session.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await page.context().cookies()).some((entry) => entry.name === "faultline_session")).toBe(false);
});
