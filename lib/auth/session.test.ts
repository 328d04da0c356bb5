import assert from "node:assert/strict";
import { test } from "node:test";
import {
  isSameOriginRequest,
  issueSession,
  readCookie,
  SESSION_TTL_SECONDS,
  sessionCookie,
  verifySession,
} from "./session";

const TOKEN = "admin-token-0123456789";

test("a session verifies with the token that issued it, and only within its lifetime", () => {
  const now = 1_700_000_000_000;
  const session = issueSession(TOKEN, now);
  assert.equal(verifySession(session, TOKEN, now + 1000), true);
  assert.equal(verifySession(session, "another-admin-token-000", now + 1000), false);
  assert.equal(verifySession(session, TOKEN, now + SESSION_TTL_SECONDS * 1000 + 1), false);
  assert.equal(verifySession(undefined, TOKEN, now), false);
});

test("a tampered session is refused", () => {
  const now = Date.now();
  const [version, issuedAt, nonce, mac] = issueSession(TOKEN, now).split(".");
  assert.equal(verifySession([version, Number(issuedAt) + 1, nonce, mac].join("."), TOKEN, now), false);
  assert.equal(verifySession([version, issuedAt, `${nonce}x`, mac].join("."), TOKEN, now), false);
  assert.equal(verifySession("v1.garbage", TOKEN, now), false);
});

test("the cookie is httpOnly and SameSite=Strict, Secure only over HTTPS", () => {
  assert.match(sessionCookie("x", false), /HttpOnly; SameSite=Strict; Max-Age=43200$/);
  assert.match(sessionCookie("x", true), /; Secure$/);
  assert.equal(readCookie("a=1; faultline_session=v1.2.3.4; b=2", "faultline_session"), "v1.2.3.4");
  assert.equal(readCookie(null, "faultline_session"), undefined);
});

test("same-origin means Sec-Fetch-Site same-origin, or an Origin naming this host", () => {
  const request = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1:3000/api/v1/faults/halt", { method: "POST", headers });
  assert.equal(isSameOriginRequest(request({ "sec-fetch-site": "same-origin" })), true);
  assert.equal(isSameOriginRequest(request({ "sec-fetch-site": "cross-site" })), false);
  assert.equal(
    isSameOriginRequest(request({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" })),
    true,
  );
  assert.equal(
    isSameOriginRequest(request({ origin: "http://evil.example", host: "127.0.0.1:3000" })),
    false,
  );
  assert.equal(isSameOriginRequest(request({ host: "127.0.0.1:3000" })), false);
});
