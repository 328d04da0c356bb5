// The shapes and hashes of Faultline's secrets. API tokens look like `flt_<8 chars>_<secret>`:
// the `flt_<8 chars>` prefix is public (shown in the token list, used to find the row), the rest
// is 256 random bits. Tokens are stored as scrypt hashes with a random salt and the parameters
// recorded in the stored string, so they can be raised later without breaking old tokens.
import { createHash, randomBytes, randomInt, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_PATTERN = /^(flt_[a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;

/**
 * scrypt cost: N=2^14, r=8, p=1 (16 MiB, tens of ms). The secret is 256 random bits, not a
 * password, so the hash only has to make a stolen table useless, not slow down a dictionary;
 * verified tokens are cached so a client does not pay it per request.
 */
export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

export interface NewToken {
  /** The whole token: shown to its creator once, never stored. */
  token: string;
  /** `flt_<8 chars>`: public, recognisable, indexed. */
  prefix: string;
}

export function generateApiToken(): NewToken {
  let id = "";
  for (let i = 0; i < 8; i++) id += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  const prefix = `flt_${id}`;
  return { token: `${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

/** The public prefix of a well-formed API token, or undefined (no database lookup needed then). */
export function apiTokenPrefix(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

function scryptAsync(
  secret: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N=16384,r=8,p=1$<salt>$<hash>` (base64url). */
export async function hashToken(token: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await scryptAsync(token, salt, KEY_BYTES, { N, r, p });
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

const STORED_PATTERN = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** True when `token` hashes to `stored` (constant-time comparison); false for a malformed hash. */
export async function verifyTokenHash(token: string, stored: string): Promise<boolean> {
  const match = STORED_PATTERN.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const expected = Buffer.from(match[5] as string, "base64url");
  if (expected.length === 0 || N > 1 << 20 || r > 32 || p > 16) return false;
  const key = await scryptAsync(token, Buffer.from(match[4] as string, "base64url"), expected.length, {
    N,
    r,
    p,
    // 128·N·r·p bytes, plus slack: Node refuses anything above its 32 MiB default otherwise.
    maxmem: 256 * N * r * p + 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A new browser session's secret: 32 random bytes, base64url. Only its hash is stored. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function looksLikeSessionSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Compares two secrets of any length in constant time (hashing first equalises lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
