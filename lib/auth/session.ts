// Browser sessions: signing in with the admin token sets an httpOnly, SameSite=Strict cookie that
// the control API accepts in place of the Bearer header. The cookie is stateless: issue time, a
// nonce and an HMAC keyed by the admin token, so rotating the token ends every session and no
// table is needed until per-user API tokens arrive (issue 7 moves sessions into PostgreSQL so
// sign-out can revoke server-side; today sign-out deletes the cookie).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "faultline_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const VERSION = "v1";

function sessionKey(adminToken: string): Buffer {
  return createHash("sha256").update(`faultline-session:${adminToken}`).digest();
}

function mac(adminToken: string, payload: string): string {
  return createHmac("sha256", sessionKey(adminToken)).update(payload).digest("base64url");
}

export function issueSession(adminToken: string, nowMs = Date.now()): string {
  const payload = `${VERSION}.${nowMs}.${randomBytes(12).toString("base64url")}`;
  return `${payload}.${mac(adminToken, payload)}`;
}

/** True for a cookie this server issued with this admin token, less than the TTL ago. */
export function verifySession(value: string | undefined, adminToken: string, nowMs = Date.now()): boolean {
  if (!value) return false;
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return false;
  const issuedAt = Number(parts[1]);
  if (!Number.isSafeInteger(issuedAt)) return false;
  const age = nowMs - issuedAt;
  // A little clock slack for cookies issued by another web process of the same deployment.
  if (age < -60_000 || age > SESSION_TTL_SECONDS * 1000) return false;
  const expected = Buffer.from(mac(adminToken, parts.slice(0, 3).join(".")));
  const given = Buffer.from(parts[3] as string);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

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
