import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";

test("a wrong token is refused with a message; the right one signs in, and sign-out works", async ({
  page,
}) => {
  await page.goto("/sign-in?next=/experiments");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Admin token").fill("not-the-token");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByRole("alert")).toHaveText("That token is not valid.");

  await form.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/experiments$/);
  const session = page.getByLabel("Session");
  await expect(session).toContainText("Signed in as operator");
  const cookie = (await page.context().cookies()).find((entry) => entry.name === "faultline_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");

  await session.getByRole("button", { name: "Sign out" }).click();
  await expect(session.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await page.context().cookies()).some((entry) => entry.name === "faultline_session")).toBe(false);
});
