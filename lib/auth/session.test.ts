import assert from "node:assert/strict";
import { test } from "node:test";
import { isSameOriginRequest, readCookie, sessionCookie } from "./session";

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
