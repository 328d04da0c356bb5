import { z } from "zod";
import { adminToken, isSignedIn, sameSecret } from "@/lib/auth/admin-token";
import {
  CLIENT_ADDRESS_HEADER,
  clearedSessionCookie,
  isSameOriginRequest,
  isSecureRequest,
  issueSession,
  sessionCookie,
} from "@/lib/auth/session";
import { createSignInLimiter } from "@/lib/auth/sign-in-limiter";
import { AppError } from "@/lib/errors";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

const SignIn = z.object({ token: z.string().min(1).max(512) }).strict();

const globalForLimiter = globalThis as unknown as {
  faultlineSignInLimiter?: ReturnType<typeof createSignInLimiter>;
};
// One limiter per process, kept across Next's module reloads.
globalForLimiter.faultlineSignInLimiter ??= createSignInLimiter();
const limiter = globalForLimiter.faultlineSignInLimiter;

/** Whether this browser is signed in. */
export const GET = withErrors(async (request) => Response.json({ signedIn: await isSignedIn(request) }));

/** Signs the browser in with the admin token: sets the session cookie. */
export const POST = withErrors(async (request) => {
  const client = request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
  const wait = limiter.retryAfterSeconds(client);
  if (wait > 0) {
    throw new AppError("too_many_attempts", `Too many failed sign-ins: try again in ${wait} s.`, 429, {
      retryAfterSeconds: wait,
    });
  }
  if (!isSameOriginRequest(request)) {
    throw new AppError("cross_origin", "Sign in from the dashboard's own sign-in page.", 403);
  }
  const parsed = SignIn.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    throw new AppError("invalid_body", 'Send `{ "token": "<admin token>" }` as JSON.', 400);
  }
  if (!sameSecret(parsed.data.token, await adminToken())) {
    limiter.recordFailure(client);
    throw new AppError("invalid_token", "That token is not valid.", 401);
  }
  limiter.recordSuccess(client);
  return Response.json(
    { signedIn: true },
    { headers: { "set-cookie": sessionCookie(issueSession(await adminToken()), isSecureRequest(request)) } },
  );
});

/** Signs out: deletes the session cookie (even an expired one). */
export const DELETE = withErrors(async (request) => {
  if (!isSameOriginRequest(request)) {
    throw new AppError("cross_origin", "Sign out from the dashboard itself.", 403);
  }
  return Response.json(
    { signedIn: false },
    { headers: { "set-cookie": clearedSessionCookie(isSecureRequest(request)) } },
  );
});
