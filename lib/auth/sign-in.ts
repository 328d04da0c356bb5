// Signing a browser in and out: what /api/v1/session does. Sign-in takes a token (the bootstrap
// admin token or an API token), is rate-limited per client address, must come from the
// dashboard's own origin, and opens a server-side session (lib/auth/session-store.ts).
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { inputIssues, invalidRequest } from "../http";
import { authenticate, principalFromSessionCookie, verifyCredential } from "./access";
import { adminToken } from "./admin-token";
import type { Principal } from "./roles";
import { CLIENT_ADDRESS_HEADER, isSameOriginRequest, readCookie, SESSION_COOKIE } from "./session";
import { createSession, endSession } from "./session-store";
import { createSignInLimiter } from "./sign-in-limiter";

export const SignIn = z.strictObject({ token: z.string().min(1).max(512) });
export type SignIn = z.infer<typeof SignIn>;

/** Its own code (`invalid_body`, the sign-in page's contract) for bad JSON and bad fields alike. */
export function parseSignInBody(text: string): SignIn {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid_body", 'Send `{ "token": "<token>" }` as JSON.', 400);
  }
  const parsed = SignIn.safeParse(json);
  if (!parsed.success) throw invalidRequest(inputIssues(parsed.error, json), "invalid_body");
  return parsed.data;
}

const globalForLimiter = globalThis as unknown as {
  faultlineSignInLimiter?: ReturnType<typeof createSignInLimiter>;
};

// One limiter per process, kept across Next's module reloads.
function limiter() {
  globalForLimiter.faultlineSignInLimiter ??= createSignInLimiter();
  return globalForLimiter.faultlineSignInLimiter;
}

/** Set by the web process from the socket; "unknown" when a test calls Next directly. */
export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}

/**
 * Checked before the body is read: 429 while this client is locked out after failed sign-ins,
 * 403 from another origin. Nobody is signed in yet, so there is no caller.
 */
export async function signInGate(request: Request): Promise<undefined> {
  const wait = limiter().retryAfterSeconds(clientAddress(request));
  if (wait > 0) {
    throw new AppError("too_many_attempts", `Too many failed sign-ins: try again in ${wait} s.`, 429, {
      retryAfterSeconds: wait,
    });
  }
  if (!isSameOriginRequest(request)) {
    throw new AppError("cross_origin", "Sign in from the dashboard's own sign-in page.", 403);
  }
  return undefined;
}

/** Sign-out, like sign-in, only from the dashboard itself. */
export async function signOutGate(request: Request): Promise<undefined> {
  if (!isSameOriginRequest(request)) {
    throw new AppError("cross_origin", "Sign out from the dashboard itself.", 403);
  }
  return undefined;
}

/** Verifies the token and opens a session: the caller and the cookie's secret. 401 for a bad token. */
export async function signIn(
  input: SignIn,
  client: string,
): Promise<{ principal: Principal; secret: string }> {
  const principal = await verifyCredential(input.token);
  if (!principal) {
    limiter().recordFailure(client);
    throw new AppError("invalid_token", "That token is not valid.", 401);
  }
  limiter().recordSuccess(client);
  const session = await createSession(principal, await adminToken(), { client });
  return { principal, secret: session.secret };
}

/** Ends the session behind the cookie's value, if it is still open. */
export async function signOut(cookieValue: string | undefined, client: string | undefined): Promise<void> {
  await endSession(cookieValue, await adminToken(), { client });
}

/**
 * Whether this browser (its session cookie) or API client (its Bearer token) is signed in, and as
 * whom. A bad token or a stale cookie is just "no".
 */
export async function currentCaller(request: Request): Promise<Principal | undefined> {
  if (request.headers.has("authorization")) {
    return authenticate(request).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 401) return undefined;
      throw error;
    });
  }
  return principalFromSessionCookie(readCookie(request.headers.get("cookie"), SESSION_COOKIE));
}
