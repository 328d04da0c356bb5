import {
  CLIENT_ADDRESS_HEADER,
  clearedSessionCookie,
  isSecureRequest,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from "@/lib/auth/session";
import {
  clientAddress,
  currentCaller,
  parseSignInBody,
  signIn,
  signInGate,
  signOut,
  signOutGate,
} from "@/lib/auth/sign-in";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Whether this browser (its session cookie) or API client (its Bearer token) is signed in, and as
 * whom: `{ signedIn, role?, actor? }`. A bad token or a stale cookie is just "no".
 */
export const GET = route({}, async ({ request }) => {
  const principal = await currentCaller(request);
  return Response.json(
    principal ? { signedIn: true, role: principal.role, actor: principal.actor } : { signedIn: false },
    { headers: NO_STORE },
  );
});

/** Signs the browser in with a token (the bootstrap admin token or an API token): sets the session cookie. */
export const POST = route(
  { role: signInGate, body: { text: parseSignInBody } },
  async ({ body, request }) => {
    const { principal, secret } = await signIn(body, clientAddress(request));
    return Response.json(
      { signedIn: true, role: principal.role, actor: principal.actor },
      { headers: { ...NO_STORE, "set-cookie": sessionCookie(secret, isSecureRequest(request)) } },
    );
  },
);

/** Signs out: ends the session server-side and deletes the cookie (even an expired one). */
export const DELETE = route({ role: signOutGate }, async ({ request }) => {
  await signOut(
    readCookie(request.headers.get("cookie"), SESSION_COOKIE),
    request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined,
  );
  return Response.json(
    { signedIn: false },
    { headers: { ...NO_STORE, "set-cookie": clearedSessionCookie(isSecureRequest(request)) } },
  );
});
