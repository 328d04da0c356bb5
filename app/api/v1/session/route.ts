import { z } from "zod";
import { AppError } from "@/kernel/errors";
import { authenticate, principalFromSessionCookie, verifyCredential } from "@/lib/auth/access";
import { adminToken } from "@/lib/auth/admin-token";
import {
  CLIENT_ADDRESS_HEADER,
  clearedSessionCookie,
  isSameOriginRequest,
  isSecureRequest,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from "@/lib/auth/session";
import { createSession, endSession } from "@/lib/auth/session-store";
import { createSignInLimiter } from "@/lib/auth/sign-in-limiter";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

const SignIn = z.object({ token: z.string().min(1).max(512) }).strict();

const globalForLimiter = globalThis as unknown as {
  faultlineSignInLimiter?: ReturnType<typeof createSignInLimiter>;
};
// One limiter per process, kept across Next's module reloads.
globalForLimiter.faultlineSignInLimiter ??= createSignInLimiter();
const limiter = globalForLimiter.faultlineSignInLimiter;

const NO_STORE = { "cache-control": "no-store" };

/**
 * Whether this browser (its session cookie) or API client (its Bearer token) is signed in, and as
 * whom: `{ signedIn, role?, actor? }`. A bad token or a stale cookie is just "no".
 */
export const GET = withErrors(async (request) => {
  const principal = request.headers.has("authorization")
    ? await authenticate(request).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 401) return undefined;
        throw error;
      })
    : await principalFromSessionCookie(readCookie(request.headers.get("cookie"), SESSION_COOKIE));
  return Response.json(
    principal ? { signedIn: true, role: principal.role, actor: principal.actor } : { signedIn: false },
    { headers: NO_STORE },
  );
});

/** Signs the browser in with a token (the bootstrap admin token or an API token): sets the session cookie. */
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
    throw new AppError("invalid_body", 'Send `{ "token": "<token>" }` as JSON.', 400);
  }
  const principal = await verifyCredential(parsed.data.token);
  if (!principal) {
    limiter.recordFailure(client);
    throw new AppError("invalid_token", "That token is not valid.", 401);
  }
  limiter.recordSuccess(client);
  const session = await createSession(principal, await adminToken(), { client });
  return Response.json(
    { signedIn: true, role: principal.role, actor: principal.actor },
    {
      headers: {
        ...NO_STORE,
        "set-cookie": sessionCookie(session.secret, isSecureRequest(request)),
      },
    },
  );
});

/** Signs out: ends the session server-side and deletes the cookie (even an expired one). */
export const DELETE = withErrors(async (request) => {
  if (!isSameOriginRequest(request)) {
    throw new AppError("cross_origin", "Sign out from the dashboard itself.", 403);
  }
  await endSession(readCookie(request.headers.get("cookie"), SESSION_COOKIE), await adminToken(), {
    client: request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined,
  });
  return Response.json(
    { signedIn: false },
    { headers: { ...NO_STORE, "set-cookie": clearedSessionCookie(isSecureRequest(request)) } },
  );
});
