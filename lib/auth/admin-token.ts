// The admin token that guards the control API until roles and API tokens arrive (issue 7): taken from
// FAULTLINE_ADMIN_TOKEN, or generated once, stored in the data folder (mode 0600) and printed
// by the launcher the first time. Compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir, env } from "../env";
import { AppError } from "../errors";
import { isSameOriginRequest, readCookie, SESSION_COOKIE, verifySession } from "./session";

export const ADMIN_TOKEN_FILE = "admin-token";

export interface AdminToken {
  token: string;
  /** True when this call generated it (the launcher prints it then, and only then). */
  created: boolean;
  /** Where it is stored; undefined when it came from FAULTLINE_ADMIN_TOKEN. */
  file?: string;
}

export async function ensureAdminToken(folder: string = dataDir()): Promise<AdminToken> {
  const given = env().FAULTLINE_ADMIN_TOKEN;
  if (given) return { token: given, created: false };
  const file = path.join(folder, ADMIN_TOKEN_FILE);
  try {
    const stored = (await readFile(file, "utf8")).trim();
    if (stored.length >= 16) return { token: stored, created: false, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const token = `flt_${randomBytes(24).toString("base64url")}`;
  await mkdir(folder, { recursive: true });
  // "wx": two processes racing to create it cannot both win; the loser reads the winner's.
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return ensureAdminToken(folder);
    throw error;
  }
  return { token, created: true, file };
}

const globalForToken = globalThis as unknown as { faultlineAdminToken?: Promise<AdminToken> };

/** The admin token of this deployment (read or created once per process). */
export async function adminToken(): Promise<string> {
  globalForToken.faultlineAdminToken ??= ensureAdminToken();
  return (await globalForToken.faultlineAdminToken).token;
}

/** True when the request carries a valid Bearer admin token or dashboard session cookie. */
export async function isSignedIn(request: Request): Promise<boolean> {
  const token = await adminToken();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (bearer) return sameSecret(bearer[1] as string, token);
  return verifySession(readCookie(request.headers.get("cookie"), SESSION_COOKIE), token);
}

/**
 * Who is calling: "admin" for the admin token, sent as a Bearer header (API clients, CLI) or
 * as the dashboard's session cookie. Throws 401 otherwise, and 403 for a cookie-authenticated
 * mutation that did not come from the dashboard's own origin (CSRF).
 */
export async function requireOperator(request: Request): Promise<string> {
  const token = await adminToken();
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new AppError("unauthorized", "The Authorization header must be `Bearer <token>`.", 401);
    }
    if (!sameSecret(match[1] as string, token)) {
      throw new AppError("unauthorized", "The bearer token is not valid.", 401);
    }
    return "admin";
  }
  const session = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (session && verifySession(session, token)) {
    if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
      throw new AppError(
        "cross_origin",
        "This change came from another site with your session cookie and was refused: use the dashboard or a Bearer token.",
        403,
      );
    }
    return "admin";
  }
  throw new AppError(
    "unauthorized",
    session
      ? "Your dashboard session has expired: sign in again."
      : "This route needs an operator: sign in to the dashboard, or send `Authorization: Bearer <token>` (npm start prints the admin token at first start).",
    401,
  );
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
