// Sends a browser without a live session to /sign-in?next=<where it was going>, for every
// dashboard page (the API answers 401 itself; /sign-in, health and readiness stay open). Next 16's
// proxy runs in the Node.js runtime, so this is the real session check (one indexed read), not a
// cookie-presence guess: a signed-out or revoked session cannot even soft-navigate. It also tells
// the dashboard layout which path is rendered (layouts cannot see it), for its own check.
import { type NextRequest, NextResponse } from "next/server";
import { principalFromSessionCookie } from "./lib/auth/access";
import { PATH_HEADER, SESSION_COOKIE } from "./lib/auth/session";

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${pathname}${search}`);
  if (pathname !== "/sign-in") {
    const cookie = request.cookies.get(SESSION_COOKIE)?.value;
    // A database failure is not "signed out": the layout checks again and says what is wrong.
    const principal = cookie
      ? await principalFromSessionCookie(cookie).catch(() => "unknown" as const)
      : undefined;
    if (!principal) {
      const target = new URL("/sign-in", request.url);
      target.searchParams.set("next", `${pathname}${search}`);
      return NextResponse.redirect(target);
    }
  }
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the APIs (/api/*, the OpenAI-compatible /v1/*), nor Next's own assets.
  matcher: ["/((?!api/|api$|v1/|_next/|favicon\\.ico).*)"],
};
