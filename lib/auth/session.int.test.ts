// Browser sessions against the production web process: sign in with the admin token, use the
// cookie for a mutation from the dashboard's origin, refuse it from another origin, rate-limit
// guessing, sign out.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../testing/web-server";

let database: TestDatabase;
let web: WebServer;

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_session" });
  web = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS: "tesseract-eng-line" });
});

after(async () => {
  await web?.stop();
  await database?.drop();
});

function signIn(token: string, headers: Record<string, string> = { origin: web.url }) {
  return fetch(`${web.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ token }),
  });
}

function halt(headers: Record<string, string>) {
  return fetch(`${web.url}/api/v1/faults/halt`, { method: "POST", headers });
}

describe("dashboard sessions", () => {
  it("sign-in sets an httpOnly SameSite=Strict cookie that the control API accepts from the same origin", async () => {
    const response = await signIn(TEST_ADMIN_TOKEN);
    assert.equal(response.status, 200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    assert.match(
      setCookie,
      /^faultline_session=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    const cookie = setCookie.split(";")[0] as string;

    const session = await fetch(`${web.url}/api/v1/session`, { headers: { cookie } });
    assert.deepEqual(await session.json(), { signedIn: true });
    assert.equal((await fetch(`${web.url}/api/v1/faults`, { headers: { cookie } })).status, 200);

    const sameOrigin = await halt({ cookie, origin: web.url });
    assert.equal(sameOrigin.status, 200);
    const crossSite = await halt({ cookie, origin: "http://evil.example" });
    assert.equal(crossSite.status, 403);
    assert.equal((await crossSite.json()).error.code, "cross_origin");
    const noOrigin = await halt({ cookie });
    assert.equal(noOrigin.status, 403, "a cookie mutation without Origin or Sec-Fetch-Site is refused");
    await fetch(`${web.url}/api/v1/faults/arm`, { method: "POST", headers: { cookie, origin: web.url } });

    const out = await fetch(`${web.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie, origin: web.url },
    });
    assert.match(out.headers.get("set-cookie") ?? "", /^faultline_session=; .*Max-Age=0/);
  });

  it("a forged or foreign cookie is not a session", async () => {
    const cookie = `faultline_session=v1.${Date.now()}.nonce.forgedmac`;
    const response = await halt({ cookie, origin: web.url });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error.code, "unauthorized");
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
