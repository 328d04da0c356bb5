// Shared steps of the dashboard's e2e tests: signing the browser in and calling the API as an
// operator (to set up or check what the browser did).
import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";

export const operator = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** Signs the page's browser context in through the session API (the sign-in form has its own test). */
export async function signIn(page: Page, baseURL: string): Promise<void> {
  const response = await page.request.post("/api/v1/session", {
    data: { token: E2E_ADMIN_TOKEN },
    headers: { origin: baseURL },
  });
  expect(response.status()).toBe(200);
}

export async function waitForRunStatus(page: Page, runId: string, statuses: string[], timeoutMs = 120_000) {
  let status = "";
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/v1/runs/${runId}`);
        status = ((await response.json()) as { status: string }).status;
        return statuses.includes(status);
      },
      { timeout: timeoutMs, intervals: [500] },
    )
    .toBe(true);
  return status;
}
