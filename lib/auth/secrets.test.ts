import assert from "node:assert/strict";
import { test } from "node:test";
import {
  apiTokenPrefix,
  generateApiToken,
  generateSessionSecret,
  hashToken,
  looksLikeSessionSecret,
  sameSecret,
  verifyTokenHash,
} from "./secrets";

test("an API token has a public flt_<8 chars> prefix and a 256-bit secret", () => {
  const { token, prefix } = generateApiToken();
  assert.match(prefix, /^flt_[a-z0-9]{8}$/);
  assert.ok(token.startsWith(`${prefix}_`));
  assert.equal(apiTokenPrefix(token), prefix);
  assert.notEqual(generateApiToken().token, token);
  assert.equal(apiTokenPrefix("flt_short"), undefined);
  assert.equal(apiTokenPrefix(`${token}x`), undefined);
  // The bootstrap admin token's shape (flt_ + 32 base64url characters) is never taken for one.
  assert.equal(apiTokenPrefix("flt_abcdefgh_ijklmnopqrstuvwxyz012345"), undefined);
});

test("a token's scrypt hash records its parameters and salt, and verifies only that token", async () => {
  const { token } = generateApiToken();
  const stored = await hashToken(token);
  assert.match(stored, /^scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.ok(!stored.includes(token.slice(13)), "the secret is not in the stored string");
  assert.notEqual(await hashToken(token), stored, "a fresh salt each time");
  assert.equal(await verifyTokenHash(token, stored), true);
  assert.equal(await verifyTokenHash(`${token.slice(0, -1)}A`, stored), false);
  assert.equal(await verifyTokenHash(token, "scrypt$N=16384,r=8,p=1$$"), false);
  assert.equal(await verifyTokenHash(token, "plain"), false);
});

test("hashes made with other scrypt parameters still verify (they are read from the string)", async () => {
  const { scryptSync, randomBytes } = await import("node:crypto");
  const salt = randomBytes(16);
  const key = scryptSync("flt_abcdefgh_x", salt, 32, { N: 1024, r: 8, p: 2 });
  const stored = `scrypt$N=1024,r=8,p=2$${salt.toString("base64url")}$${key.toString("base64url")}`;
  assert.equal(await verifyTokenHash("flt_abcdefgh_x", stored), true);
});

test("session secrets are 32 random bytes; secrets compare in constant time whatever their length", () => {
  const secret = generateSessionSecret();
  assert.equal(Buffer.from(secret, "base64url").length, 32);
  assert.ok(looksLikeSessionSecret(secret));
  assert.ok(!looksLikeSessionSecret("v1.123.nonce.mac"));
  assert.equal(sameSecret("a", "a"), true);
  assert.equal(sameSecret("a", "a-much-longer-secret"), false);
});
