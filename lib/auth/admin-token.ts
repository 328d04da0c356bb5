// The bootstrap admin token: taken from FAULTLINE_ADMIN_TOKEN, or generated once, stored in the
// data folder (mode 0600) and printed by the launcher the first time (like Jupyter). It is always
// an admin credential (the launcher hands it to the worker; the first admin creates API tokens
// with it). Compared in constant time; lib/auth/access.ts decides what a request may do.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir, env } from "../env";
import { sameSecret } from "./secrets";

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

/** True when `given` is this deployment's bootstrap admin token. */
export async function isAdminToken(given: string): Promise<boolean> {
  return sameSecret(given, await adminToken());
}

export { sameSecret };
