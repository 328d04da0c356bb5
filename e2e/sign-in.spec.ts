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

test("a viewer reads every page but is offered no control it may not use", async ({ page, request }) => {
  const created = await request.post("/api/v1/tokens", {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { name: "e2e-viewer", role: "viewer" },
  });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };

  await page.goto("/sign-in?next=/");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel(/token/i).fill(token);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByLabel("Session")).toContainText("Signed in as e2e-viewer");

  // Halt stays visible (it is the kill switch) but says who may press it.
  const halt = page.getByRole("button", { name: "Halt chaos" });
  await expect(halt).toBeVisible();
  await expect(halt).toBeDisabled();
  await expect(
    page.getByText("Halting or arming chaos needs the operator role; you are signed in as viewer."),
  ).toBeVisible();

  await page.goto("/experiments");
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Launch/ })).toHaveCount(0);

  await page.goto("/experiments/new");
  await expect(page.getByRole("textbox", { name: "Spec (YAML)" })).toBeVisible();
  await expect(
    page.getByText("Saving or launching needs the operator role; you are signed in as viewer."),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Save and launch" })).toHaveCount(0);

  await page.goto("/schedules");
  await expect(
    page.getByText("Creating a schedule needs the admin role; you are signed in as viewer."),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Tokens" })).toHaveCount(0);
});
