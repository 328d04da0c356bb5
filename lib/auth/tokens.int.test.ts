// API tokens and sessions against PostgreSQL, in-process: hashing, verification and its cache,
// revocation (here and from another process), last-used throttling, and the per-prefix limit on
// wrong secrets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import * as sessions from "./session-store";
import * as tokens from "./tokens";

let database: TestDatabase;
let prisma: PrismaClient;
const ADMIN = { role: "admin" as const, actor: "admin", tokenId: null };
const BOOTSTRAP = "bootstrap-admin-token-0123456789";

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_tokens" });
  prisma = createPrismaClient(database.url, 2);
  // The process's one Prisma client (lib/db/prisma.ts's sharedPrisma) lives on globalThis: ours.
  (globalThis as { faultlinePrisma?: PrismaClient }).faultlinePrisma = prisma;
});

after(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe("API tokens", () => {
  it("stores only a scrypt hash and the public prefix, and verifies the token it returned once", async () => {
    const { token, apiToken } = await tokens.createApiToken({ name: "ci", role: "operator" }, ADMIN);
    assert.match(token, /^flt_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    assert.equal(apiToken.prefix, token.slice(0, 12));
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    assert.match(row.tokenHash, /^scrypt\$N=16384,r=8,p=1\$/);
    assert.ok(!JSON.stringify(row).includes(token.slice(13)), "the secret is not stored");
    assert.equal(row.createdBy, "admin");

    assert.deepEqual(await tokens.verifyApiToken(token), {
      role: "operator",
      actor: "ci",
      tokenId: apiToken.id,
    });
    assert.equal(
      await tokens.verifyApiToken(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`),
      undefined,
    );
    assert.equal(await tokens.verifyApiToken("not-a-token"), undefined);
    const listed = await tokens.listApiTokens();
    assert.deepEqual(
      listed.map((entry) => [entry.name, entry.role, entry.prefix]),
      [["ci", "operator", apiToken.prefix]],
    );
    assert.ok(!JSON.stringify(listed).includes("scrypt"), "the list never carries hashes");
  });

  it("records the last use at most once a minute", async () => {
    const { token, apiToken } = await tokens.createApiToken({ name: "poller", role: "viewer" }, ADMIN);
    const t0 = Date.now();
    await tokens.verifyApiToken(token, t0);
    const lastUsed = async () => {
      for (let i = 0; i < 50; i++) {
        const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
        if (row.lastUsedAt) return row.lastUsedAt.getTime();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return undefined;
    };
    assert.equal(await lastUsed(), t0);
    await tokens.verifyApiToken(token, t0 + 30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await lastUsed(), t0, "no second write within the minute");
    await tokens.verifyApiToken(token, t0 + 61_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await lastUsed(), t0 + 61_000);
  });

  it("a revocation in this process bites at once; one in another process within REVALIDATE_MS", async () => {
    const here = await tokens.createApiToken({ name: "here", role: "viewer" }, ADMIN);
    assert.ok(await tokens.verifyApiToken(here.token));
    const revoked = await tokens.revokeApiToken(here.apiToken.id, ADMIN);
    assert.ok(revoked.apiToken.revokedAt);
    assert.equal(await tokens.verifyApiToken(here.token), undefined);
    const again = await tokens.revokeApiToken(here.apiToken.id, ADMIN);
    assert.equal(again.apiToken.revokedAt, revoked.apiToken.revokedAt, "revoking twice changes nothing");
    const audits = await prisma.auditEvent.count({
      where: { target: here.apiToken.id, action: "token.revoke" },
    });
    assert.equal(audits, 1);
    await assert.rejects(
      tokens.revokeApiToken("00000000-0000-4000-8000-000000000000", ADMIN),
      /was not found/,
    );
    await assert.rejects(tokens.revokeApiToken("nope", ADMIN), /was not found/);

    const elsewhere = await tokens.createApiToken({ name: "elsewhere", role: "viewer" }, ADMIN);
    const now = Date.now();
    assert.ok(await tokens.verifyApiToken(elsewhere.token, now));
    await prisma.apiToken.update({ where: { id: elsewhere.apiToken.id }, data: { revokedAt: new Date() } });
    assert.ok(await tokens.verifyApiToken(elsewhere.token, now + 1), "still cached for a moment");
    assert.equal(await tokens.verifyApiToken(elsewhere.token, now + tokens.REVALIDATE_MS), undefined);
  });

  it("after ten wrong secrets a minute for one prefix, that prefix is refused unhashed for the minute; a cached token still works", async () => {
    const cachedOne = await tokens.createApiToken({ name: "cached", role: "viewer" }, ADMIN);
    const uncached = await tokens.createApiToken({ name: "uncached", role: "viewer" }, ADMIN);
    const now = Date.now();
    assert.ok(await tokens.verifyApiToken(cachedOne.token, now), "cached before the attack");
    const wrong = (token: string, i: number) => `${token.slice(0, 13)}${String(i).padStart(43, "x")}`;
    for (const { token } of [cachedOne, uncached]) {
      for (let i = 0; i < 10; i++)
        assert.equal(await tokens.verifyApiToken(wrong(token, i), now + i), undefined);
    }
    // The prefix is closed: even the right secret is not hashed (and so not accepted) for now.
    assert.equal(await tokens.verifyApiToken(uncached.token, now + 20), undefined);
    assert.ok(await tokens.verifyApiToken(cachedOne.token, now + 20), "a cached holder is not locked out");
    assert.ok(
      await tokens.verifyApiToken(uncached.token, now + 61_000),
      "the prefix reopens after the minute",
    );
  });
});

describe("sessions", () => {
  it("a session ends on sign-out, on expiry, on its token's revocation, and when the bootstrap token rotates", async () => {
    const bootstrap = await sessions.createSession(ADMIN, BOOTSTRAP);
    assert.equal((await sessions.findSession(bootstrap.secret, BOOTSTRAP))?.role, "admin");
    assert.equal(await sessions.findSession(bootstrap.secret, "a-rotated-bootstrap-token-000"), undefined);
    const expiry = bootstrap.expiresAt.getTime();
    assert.equal(await sessions.findSession(bootstrap.secret, BOOTSTRAP, expiry), undefined);
    assert.ok(await sessions.endSession(bootstrap.secret, BOOTSTRAP));
    assert.equal(await sessions.findSession(bootstrap.secret, BOOTSTRAP), undefined);
    assert.equal(
      await sessions.endSession(bootstrap.secret, BOOTSTRAP),
      undefined,
      "signing out twice is a no-op",
    );

    const { token, apiToken } = await tokens.createApiToken({ name: "eve", role: "viewer" }, ADMIN);
    const principal = await tokens.verifyApiToken(token);
    assert.ok(principal);
    const session = await sessions.createSession(principal, BOOTSTRAP);
    assert.deepEqual(
      {
        ...(await sessions.findSession(session.secret, "rotation-does-not-matter-here")),
        expiresAt: undefined,
      },
      {
        role: "viewer",
        actor: "eve",
        tokenId: apiToken.id,
        via: "session",
        sessionId: session.sessionId,
        expiresAt: undefined,
      },
    );
    // Revoked straight in the database (as by another process, without touching sessions):
    // the token's own revokedAt is enough to end the session.
    await prisma.apiToken.update({ where: { id: apiToken.id }, data: { revokedAt: new Date() } });
    assert.equal(await sessions.findSession(session.secret, BOOTSTRAP), undefined);
    assert.equal(await sessions.findSession("A".repeat(43), BOOTSTRAP), undefined);
    assert.equal(await sessions.findSession("short", BOOTSTRAP), undefined);
  });
});
