// Browser sessions against the production web process: sign in with the admin token or an API
// token, use the cookie for a mutation from the dashboard's origin, refuse it from another
// origin, end it server-side on sign-out and on token revocation, rate-limit guessing, and send
// a browser without a session to the sign-in page.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { createPrismaClient, type PrismaClient } from "../db/prisma";

let database: TestDatabase;
let web: WebServer;
let prisma: PrismaClient;
const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_session" });
  prisma = createPrismaClient(database.url, 2);
  web = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS: "tesseract-eng-line" });
});

after(async () => {
  await web?.stop();
  await prisma?.$disconnect();
  await database?.drop();
});

function signIn(token: string, headers: Record<string, string> = { origin: web.url }) {
  return fetch(`${web.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ token }),
  });
}

async function signedInCookie(token: string): Promise<string> {
  const response = await signIn(token);
  assert.equal(response.status, 200, await response.clone().text());
  return (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

function halt(headers: Record<string, string>) {
  return fetch(`${web.url}/api/v1/faults/halt`, { method: "POST", headers });
}

function arm(headers: Record<string, string>) {
  return fetch(`${web.url}/api/v1/faults/arm`, { method: "POST", headers });
}

const client = createApiClient(() => web.url);

async function createToken(name: string, role: string): Promise<{ token: string; id: string }> {
  const created = await client.call<{ token: string; apiToken: { id: string } }>("POST", "/api/v1/tokens", {
    name,
    role,
  });
  assert.equal(created.status, 201, created.text);
  return { token: created.body.token, id: created.body.apiToken.id };
}

describe("dashboard sessions", () => {
  it("sign-in sets an httpOnly SameSite=Strict cookie that the control API accepts from the same origin", async () => {
    const response = await signIn(TEST_ADMIN_TOKEN);
    assert.equal(response.status, 200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    assert.match(
      setCookie,
      /^faultline_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const cookie = setCookie.split(";")[0] as string;
    const secret = cookie.split("=")[1] as string;

    const rows = await prisma.session.findMany();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.role, "admin");
    assert.equal(rows[0]?.actor, "admin");
    assert.equal(rows[0]?.tokenId, null);
    assert.ok(!JSON.stringify(rows).includes(secret), "only a hash of the cookie is stored");
    const hours = ((rows[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 3_600_000;
    assert.ok(hours > 11.9 && hours <= 12, `expires in 12 h (got ${hours})`);

    const session = await fetch(`${web.url}/api/v1/session`, { headers: { cookie } });
    assert.deepEqual(await session.json(), { signedIn: true, role: "admin", actor: "admin" });
    assert.equal((await fetch(`${web.url}/api/v1/faults`, { headers: { cookie } })).status, 200);

    const sameOrigin = await halt({ cookie, origin: web.url });
    assert.equal(sameOrigin.status, 200);
    const crossSite = await halt({ cookie, origin: "http://evil.example" });
    assert.equal(crossSite.status, 403);
    assert.equal((await crossSite.json()).error.code, "cross_origin");
    const noOrigin = await halt({ cookie });
    assert.equal(noOrigin.status, 403, "a cookie mutation without Origin or Sec-Fetch-Site is refused");
    await arm({ cookie, origin: web.url });

    const out = await fetch(`${web.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie, origin: web.url },
    });
    assert.match(out.headers.get("set-cookie") ?? "", /^faultline_session=; .*Max-Age=0/);
    // Server-side: the old cookie, replayed, is no longer a session.
    const replayed = await halt({ cookie, origin: web.url });
    assert.equal(replayed.status, 401);
    assert.deepEqual(await (await fetch(`${web.url}/api/v1/session`, { headers: { cookie } })).json(), {
      signedIn: false,
    });
    assert.ok((await prisma.session.findFirst())?.revokedAt, "sign-out revokes the row");

    const audit = await prisma.auditEvent.findMany({
      where: { action: { startsWith: "session." } },
      orderBy: { at: "asc" },
    });
    assert.deepEqual(
      audit.map((event) => [event.actor, event.action]),
      [
        ["admin", "session.sign_in"],
        ["admin", "session.sign_out"],
      ],
    );
  });

  it("a forged or foreign cookie is not a session", async () => {
    for (const value of [`v1.${Date.now()}.nonce.forgedmac`, "A".repeat(43)]) {
      const response = await halt({ cookie: `faultline_session=${value}`, origin: web.url });
      assert.equal(response.status, 401);
      assert.equal((await response.json()).error.code, "unauthorized");
    }
  });

  it("a viewer token's session reads but may not halt; an operator's may", async () => {
    const viewer = await createToken("alice-viewer", "viewer");
    const cookie = await signedInCookie(viewer.token);
    assert.deepEqual(await (await fetch(`${web.url}/api/v1/session`, { headers: { cookie } })).json(), {
      signedIn: true,
      role: "viewer",
      actor: "alice-viewer",
    });
    assert.equal((await fetch(`${web.url}/api/v1/faults`, { headers: { cookie } })).status, 200);
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: { cookie } })).status, 200);
    const refused = await halt({ cookie, origin: web.url });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, "forbidden");
    const tokens = await fetch(`${web.url}/api/v1/tokens`, { headers: { cookie } });
    assert.equal(tokens.status, 403, "a viewer does not list tokens");

    const operator = await createToken("bob-operator", "operator");
    const operatorCookie = await signedInCookie(operator.token);
    assert.equal((await halt({ cookie: operatorCookie, origin: web.url })).status, 200);
    assert.equal((await arm({ cookie: operatorCookie, origin: web.url })).status, 200);
    const halts = await prisma.auditEvent.findMany({
      where: { action: { in: ["chaos.halt", "chaos.arm"] } },
    });
    assert.ok(
      halts.some((event) => event.actor === "bob-operator"),
      "the audit log names the token that halted",
    );
    const row = await prisma.apiToken.findUnique({ where: { id: viewer.id } });
    assert.ok(row?.lastUsedAt, "signing in with a token records a use");
  });

  it("revoking a token ends its sessions and refuses it as a Bearer token within seconds", async () => {
    const { token, id } = await createToken("carol-ci", "operator");
    const cookie = await signedInCookie(token);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: bearer })).status, 200);
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: { cookie } })).status, 200);

    const revoked = await fetch(`${web.url}/api/v1/tokens/${id}`, {
      method: "DELETE",
      headers: admin,
    });
    assert.equal(revoked.status, 200);
    const body = (await revoked.json()) as { apiToken: { revokedAt: string | null }; sessionsEnded: number };
    assert.ok(body.apiToken.revokedAt);
    assert.equal(body.sessionsEnded, 1);

    // Same process: at once. The cache must not keep a revoked token alive.
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: { cookie } })).status, 401);
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: bearer })).status, 401);
    assert.equal((await signIn(token)).status, 401, "a revoked token cannot sign in again");
    const audit = await prisma.auditEvent.findMany({ where: { target: id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      audit.map((event) => [event.actor, event.action]),
      [
        ["admin", "token.create"],
        ["admin", "token.revoke"],
      ],
    );
  });

  it("a token revoked by another process (straight in the database) stops working within seconds", async () => {
    const { token, id } = await createToken("dave-elsewhere", "viewer");
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${web.url}/api/v1/runs`, { headers: bearer })).status, 200);
    await prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await fetch(`${web.url}/api/v1/runs`, { headers: bearer })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(status, 401);
  });

  it("sends a browser without a session to the sign-in page, with where it was going", async () => {
    for (const path of ["/", "/experiments", "/runs/abc?x=1", "/tokens"]) {
      const response = await fetch(`${web.url}${path}`, { redirect: "manual" });
      assert.equal(response.status, 307, path);
      const location = new URL(response.headers.get("location") ?? "", web.url);
      assert.equal(location.pathname, "/sign-in");
      assert.equal(location.searchParams.get("next"), path);
    }
    const stale = await fetch(`${web.url}/experiments`, {
      redirect: "manual",
      headers: { cookie: `faultline_session=${"B".repeat(43)}` },
    });
    assert.equal(stale.status, 307, "an unknown cookie is no session");
    assert.equal((await fetch(`${web.url}/sign-in`, { redirect: "manual" })).status, 200);
    assert.equal((await fetch(`${web.url}/api/health`, { redirect: "manual" })).status, 200);
    assert.equal((await fetch(`${web.url}/api/ready`, { redirect: "manual" })).status, 200);
    // The inference API's model list stays open unless FAULTLINE_INFERENCE_AUTH=token.
    assert.equal((await fetch(`${web.url}/api/v1/models`)).status, 200);

    const cookie = await signedInCookie(TEST_ADMIN_TOKEN);
    const page = await fetch(`${web.url}/tokens`, { redirect: "manual", headers: { cookie } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /API tokens/);
    assert.match(html, /carol-ci/, "the admin sees the token list");
    assert.ok(!html.includes(TEST_ADMIN_TOKEN));
    const signInPage = await fetch(`${web.url}/sign-in?next=/audit`, {
      redirect: "manual",
      headers: { cookie },
    });
    assert.equal(signInPage.status, 307, "a signed-in browser skips the sign-in page");
    assert.equal(new URL(signInPage.headers.get("location") ?? "", web.url).pathname, "/audit");
  });

  it("refuses sign-in from another origin, and bad bodies with a code", async () => {
    const foreign = await signIn(TEST_ADMIN_TOKEN, { origin: "http://evil.example" });
    assert.equal(foreign.status, 403);
    const bad = await fetch(`${web.url}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url },
      body: "{nope",
    });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, "invalid_body");
  });

  it("rate-limits repeated failed sign-ins, and never echoes the token", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const response = await signIn(`wrong-token-${attempt}`);
      statuses.push(response.status);
      const text = await response.text();
      assert.ok(!text.includes(`wrong-token-${attempt}`));
      if (response.status === 429) assert.ok(Number(response.headers.get("retry-after")) > 0);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    assert.ok(!web.output().includes("wrong-token-"), "tokens never appear in the server's logs");
    assert.equal((await signIn(TEST_ADMIN_TOKEN)).status, 429, "even the right token waits out the limit");
  });
});
