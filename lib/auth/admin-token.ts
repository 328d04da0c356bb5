// The admin token that guards the control API until roles and API tokens arrive: taken from
// FAULTLINE_ADMIN_TOKEN, or generated once, stored in the data folder (mode 0600) and printed
// by the launcher the first time. Compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir, env } from "../env";
import { AppError } from "../errors";

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

/** Who is calling: "admin" for the admin token. Throws 401 otherwise. */
export async function requireOperator(request: Request): Promise<string> {
  globalForToken.faultlineAdminToken ??= ensureAdminToken();
  const { token } = await globalForToken.faultlineAdminToken;
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new AppError(
      "unauthorized",
      "This route needs an operator token: send `Authorization: Bearer <token>` (npm start prints the admin token at first start).",
      401,
    );
  }
  if (!sameSecret(match[1] as string, token)) {
    throw new AppError("unauthorized", "The bearer token is not valid.", 401);
  }
  return "admin";
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
