// Who is looking at a dashboard page: the session behind the request's cookie, read once per
// request (React's cache) however many components ask. The layout's sign-in gate uses it too.
import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { principalFromSessionCookie } from "./access";
import { type Principal, type Role, roleAtLeast } from "./roles";
import { SESSION_COOKIE } from "./session";

export const pagePrincipal = cache(
  async (): Promise<Principal | undefined> =>
    principalFromSessionCookie((await cookies()).get(SESSION_COOKIE)?.value),
);

/** Null when the page's viewer has `need`; else the sentence that says why `what` is not offered. */
export async function missingRole(need: Role, what: string): Promise<string | null> {
  const principal = await pagePrincipal();
  if (principal && roleAtLeast(principal.role, need)) return null;
  return `${what} needs the ${need} role; you are signed in as ${principal?.role ?? "nobody"}.`;
}
