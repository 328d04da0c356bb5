// Browser sessions, the HTTP side: the cookie's name, lifetime and attributes (httpOnly,
// SameSite=Strict, Secure over HTTPS) and the same-origin check every cookie-authenticated
// mutation must pass (CSRF). The cookie carries a random secret; what it stands for lives in
// PostgreSQL (lib/auth/session-store.ts), so sign-out and token revocation end it server-side.
export const SESSION_COOKIE = "faultline_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/** The `Set-Cookie` value for a new session; `Secure` when the dashboard is served over HTTPS. */
export function sessionCookie(value: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${SESSION_TTL_SECONDS}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    "Max-Age=0",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** Served over HTTPS, directly or behind a proxy that says so. */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

/**
 * A cookie-authenticated mutation must come from the dashboard's own pages. SameSite=Strict
 * already keeps the cookie off cross-site requests; checking Origin (or the browser's
 * Sec-Fetch-Site) as well covers old browsers and same-site attackers on sibling subdomains.
 */
export function isSameOriginRequest(request: Request): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin";
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Set by the web process (lib/server/web-process.ts) from the socket; clients cannot forge it. */
export const CLIENT_ADDRESS_HEADER = "x-faultline-client-address";

/** Set by proxy.ts on page requests: the path being rendered (layouts cannot see it otherwise). */
export const PATH_HEADER = "x-faultline-path";
