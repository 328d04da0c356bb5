// The HTTP API against shared/specs/toxiproxy.md §1: routes, methods, codes, exact error strings,
// defaults, listen semantics, populate and reset. Runs against TOXIPROXY_TEST_URL when set.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import {
  addToxic,
  api,
  closeAll,
  createProxy,
  openTarget,
  type ProxyInfo,
  portOf,
  startUpstream,
  type Target,
  type Upstream,
} from "./test-support";
import { toxiproxyTestUrl } from "./toxiproxy-target";

const REAL = toxiproxyTestUrl() !== undefined;
const EMBEDDED_ONLY = REAL && "embedded-only: a documented divergence or a §2.3 crash hazard";

let target: Target;
let upstream: Upstream;

before(async () => {
  target = await openTarget();
  upstream = await startUpstream();
});
after(async () => {
  await closeAll();
  await target.close();
});

const errorBody = (message: string, status: number) => `${JSON.stringify({ error: message, status })}\n`;

function assertError(
  reply: { status: number; text: string; headers: Headers },
  status: number,
  message: string,
) {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.text, errorBody(message, status));
  assert.equal(reply.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(reply.headers.get("x-content-type-options"), "nosniff");
}

function assertBadBody(reply: { status: number; text: string }, detail?: string) {
  assert.equal(reply.status, 400, reply.text);
  const { error } = JSON.parse(reply.text) as { error: string };
  if (detail === undefined) assert.match(error, /^bad request body: /);
  else assert.equal(error, `bad request body: ${detail}`);
}

const path = (name: string) => `/proxies/${encodeURIComponent(name)}`;

describe("routes and methods", () => {
  it("answers a known path with a wrong method with 405 and an empty body", async () => {
    for (const [method, route] of [
      ["GET", "/reset"],
      ["POST", "/version"],
      ["DELETE", "/proxies"],
      ["OPTIONS", "/proxies"],
      ["GET", "/populate"],
      ["PUT", "/proxies/any"],
      ["DELETE", "/proxies/any/toxics"],
      ["PUT", "/proxies/any/toxics/any"],
    ] as const) {
      const reply = await api(target, method, route);
      assert.equal(reply.status, 405, `${method} ${route}`);
      assert.equal(reply.text, "", `${method} ${route}`);
    }
  });

  it("answers unknown paths with Go's plain-text 404", async () => {
    for (const route of ["/nope", "/", "/proxies/", "/proxies/a/toxics/b/c", "/toxics"]) {
      const reply = await api(target, "GET", route);
      assert.equal(reply.status, 404, route);
      assert.equal(reply.text, "404 page not found\n", route);
      assert.equal(reply.headers.get("content-type"), "text/plain; charset=utf-8");
    }
  });

  it("refuses browsers (a Mozilla/ user agent) with 403", async () => {
    const reply = await api(target, "GET", "/proxies", undefined, { "User-Agent": "Mozilla/5.0 (X11)" });
    assert.equal(reply.status, 403);
    assert.equal(reply.text, "User agent not allowed\n");
    assert.equal(reply.headers.get("content-type"), "text/plain; charset=utf-8");
  });

  it("serves GET /version as hand-built JSON with a space after the colon", async () => {
    const reply = await api(target, "GET", "/version");
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get("content-type"), "application/json;charset=utf-8");
    assert.match(reply.text, /^\{"version": "[^"]+"\}\n$/);
    if (target.embedded) assert.equal(reply.text, '{"version": "2.12.0+faultline"}\n');
  });

  it("has no /metrics unless metrics are switched on", { skip: EMBEDDED_ONLY }, async () => {
    const reply = await api(target, "GET", "/metrics");
    assert.equal(reply.status, 404);
    assert.equal(reply.text, "404 page not found\n");
  });
});

describe("proxies", () => {
  it("creates a proxy: 201, the bound listen address, enabled, no toxics, compact JSON", async () => {
    const name = target.name("create");
    const reply = await api(target, "POST", "/proxies", {
      name,
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${upstream.port}`,
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get("content-type"), "application/json");
    assert.ok(!reply.text.endsWith("\n"));
    const proxy = reply.json<ProxyInfo>();
    assert.equal(proxy.name, name);
    assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(portOf(proxy.listen), 0);
    assert.equal(proxy.upstream, `127.0.0.1:${upstream.port}`);
    assert.equal(proxy.enabled, true);
    assert.deepEqual(proxy.toxics, []);

    const shown = await api(target, "GET", path(name));
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.json<ProxyInfo>().listen, proxy.listen);
    const all = await api(target, "GET", "/proxies");
    assert.equal(all.status, 200);
    assert.equal(all.json<Record<string, ProxyInfo>>()[name]?.listen, proxy.listen);
  });

  it("lists proxies as an object keyed by name, each with its toxics", async () => {
    const proxy = await createProxy(target, "listed", upstream.port);
    await addToxic(target, proxy.name, { type: "latency", attributes: { latency: 5 } });
    const all = (await api(target, "GET", "/proxies")).json<Record<string, ProxyInfo>>();
    assert.deepEqual(
      all[proxy.name]?.toxics.map((toxic) => toxic.name),
      ["latency_downstream"],
    );
  });

  it("ignores Content-Type, trailing bytes after the JSON value, and unknown fields", async () => {
    const name = target.name("lenient");
    const body = `${JSON.stringify({ name, listen: "127.0.0.1:0", upstream: "127.0.0.1:1", colour: "red" })} trailing`;
    const reply = await api(target, "POST", "/proxies", body, { "Content-Type": "text/plain" });
    assert.equal(reply.status, 201, reply.text);
  });

  it("reports every create error with the exact status and message, in the real server's order", async () => {
    assertError(await api(target, "POST", "/proxies", ""), 400, "bad request body: EOF");
    assertBadBody(await api(target, "POST", "/proxies", '{"name":'), "unexpected EOF");
    assertBadBody(await api(target, "POST", "/proxies", "[1]"));
    assertBadBody(await api(target, "POST", "/proxies", { name: 7, upstream: "x:1" }));
    assertBadBody(await api(target, "POST", "/proxies", { name: "x", upstream: "x:1", enabled: "yes" }));
    assertError(
      await api(target, "POST", "/proxies", { upstream: "x:1" }),
      400,
      "missing required field: name",
    );
    assertError(
      await api(target, "POST", "/proxies", { name: null, upstream: "x:1" }),
      400,
      "missing required field: name",
    );
    assertError(
      await api(target, "POST", "/proxies", { name: "x" }),
      400,
      "missing required field: upstream",
    );
    // The name is checked before the upstream.
    assertError(await api(target, "POST", "/proxies", {}), 400, "missing required field: name");
    const taken = await createProxy(target, "taken", upstream.port);
    assertError(
      await api(target, "POST", "/proxies", { name: taken.name, upstream: "127.0.0.1:1" }),
      409,
      "proxy already exists",
    );
  });

  it("answers 404 proxy not found on every per-proxy route", async () => {
    const missing = "/proxies/no_such_proxy";
    for (const [method, route, body] of [
      ["GET", missing, undefined],
      ["POST", missing, {}],
      ["PATCH", missing, {}],
      ["DELETE", missing, undefined],
      ["GET", `${missing}/toxics`, undefined],
      ["POST", `${missing}/toxics`, "not even json"],
      ["GET", `${missing}/toxics/t`, undefined],
      ["POST", `${missing}/toxics/t`, ""],
      ["PATCH", `${missing}/toxics/t`, ""],
      ["DELETE", `${missing}/toxics/t`, undefined],
    ] as const) {
      assertError(await api(target, method, route, body), 404, "proxy not found");
    }
  });

  it("accepts an unreachable upstream at creation (the failure shows per connection)", async () => {
    const name = target.name("unreachable");
    const reply = await api(target, "POST", "/proxies", {
      name,
      listen: "127.0.0.1:0",
      upstream: "127.0.0.1:1",
    });
    assert.equal(reply.status, 201);
  });

  it("percent-decodes names in paths", async () => {
    const name = target.name("with space");
    await api(target, "POST", "/proxies", { name, listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    const shown = await api(target, "GET", `/proxies/${name.replace(" ", "%20")}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.json<ProxyInfo>().name, name);
  });

  it("creates a name containing '/' whose routes can never be reached", { skip: EMBEDDED_ONLY }, async () => {
    // Embedded only: on a real server this proxy could never be deleted again.
    const reply = await api(target, "POST", "/proxies", {
      name: "a/b",
      upstream: "127.0.0.1:1",
      enabled: false,
    });
    assert.equal(reply.status, 201);
    assert.equal((await api(target, "GET", "/proxies/a%2Fb")).status, 404);
    assert.equal((await api(target, "DELETE", "/proxies/a%2Fb")).status, 404);
  });

  it("updates with POST and PATCH alike; name in the body is ignored; missing fields keep their values", async () => {
    const proxy = await createProxy(target, "update", upstream.port);
    const other = await startUpstream();
    const patched = await api(target, "PATCH", path(proxy.name), {
      upstream: `127.0.0.1:${other.port}`,
      name: "x",
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.headers.get("content-type"), "application/json");
    const body = patched.json<ProxyInfo>();
    assert.equal(body.name, proxy.name);
    assert.equal(body.upstream, `127.0.0.1:${other.port}`);
    assert.equal(body.listen, proxy.listen, "the port is kept across the restart");
    assert.equal(body.enabled, true);
    const posted = await api(target, "POST", path(proxy.name), { enabled: false });
    assert.equal(posted.status, 200);
    assert.equal(posted.json<ProxyInfo>().enabled, false);
    assert.equal(posted.json<ProxyInfo>().listen, proxy.listen);
    // Setting enabled to its current value is a no-op.
    assert.equal((await api(target, "POST", path(proxy.name), { enabled: false })).status, 200);
  });

  it("reports update errors: EOF for an empty body, 500 with the resolver text for a bad listen", async () => {
    const proxy = await createProxy(target, "update_errors", upstream.port);
    assertError(await api(target, "POST", path(proxy.name), ""), 400, "bad request body: EOF");
    assertBadBody(await api(target, "PATCH", path(proxy.name), { enabled: 1 }));
    assertError(
      await api(target, "POST", path(proxy.name), { listen: "bogus" }),
      500,
      "address bogus: missing port in address",
    );
  });

  it("deletes with 204 and an empty body; the name is then unknown", async () => {
    const proxy = await createProxy(target, "deleted", upstream.port);
    const reply = await api(target, "DELETE", path(proxy.name));
    assert.equal(reply.status, 204);
    assert.equal(reply.text, "");
    assertError(await api(target, "GET", path(proxy.name)), 404, "proxy not found");
    assertError(await api(target, "DELETE", path(proxy.name)), 404, "proxy not found");
  });
});

describe("listen semantics", () => {
  it("resolves localhost:0 to 127.0.0.1 and a real port", async () => {
    const name = target.name("localhost");
    const reply = await api(target, "POST", "/proxies", {
      name,
      listen: "localhost:0",
      upstream: "127.0.0.1:1",
    });
    assert.equal(reply.status, 201);
    assert.match(reply.json<ProxyInfo>().listen, /^127\.0\.0\.1:[1-9]\d*$/);
  });

  it("shows [::1]:<port> for an IPv6 loopback listen", async (t) => {
    const probe = net.createServer();
    const ipv6 = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(0, "::1", () => probe.close(() => resolve(true)));
    });
    if (!ipv6) return t.skip("no IPv6 loopback here");
    const name = target.name("ipv6");
    const reply = await api(target, "POST", "/proxies", { name, listen: "[::1]:0", upstream: "127.0.0.1:1" });
    assert.equal(reply.status, 201);
    assert.match(reply.json<ProxyInfo>().listen, /^\[::1\]:[1-9]\d*$/);
  });

  it("binds all interfaces for an empty listen", async () => {
    const name = target.name("wildcard");
    const reply = await api(target, "POST", "/proxies", { name, upstream: "127.0.0.1:1" });
    assert.equal(reply.status, 201);
    assert.match(reply.json<ProxyInfo>().listen, /^(\[::\]|0\.0\.0\.0):[1-9]\d*$/);
    await api(target, "DELETE", path(name));
  });

  it("keeps the literal listen of a disabled proxy until it first starts, then keeps the port", async () => {
    const name = target.name("disabled_first");
    const created = await api(target, "POST", "/proxies", {
      name,
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${upstream.port}`,
      enabled: false,
    });
    assert.equal(created.status, 201);
    assert.equal(created.json<ProxyInfo>().listen, "127.0.0.1:0");
    assert.equal(created.json<ProxyInfo>().enabled, false);
    const started = (await api(target, "POST", path(name), { enabled: true })).json<ProxyInfo>();
    assert.match(started.listen, /^127\.0\.0\.1:[1-9]\d*$/);
    await api(target, "POST", path(name), { enabled: false });
    const again = (await api(target, "POST", path(name), { enabled: true })).json<ProxyInfo>();
    assert.equal(again.listen, started.listen);
  });

  it("answers 500 with Go's resolver text for an invalid listen, and creates nothing", async () => {
    const name = target.name("nope");
    assertError(
      await api(target, "POST", "/proxies", { name, listen: "nope", upstream: "127.0.0.1:1" }),
      500,
      "listen tcp: address nope: missing port in address",
    );
    assertError(await api(target, "GET", path(name)), 404, "proxy not found");
  });

  it("answers 500 (not 409) when the port is in use, and creates nothing", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const name = target.name("in_use");
      assertError(
        await api(target, "POST", "/proxies", { name, listen: `127.0.0.1:${port}`, upstream: "127.0.0.1:1" }),
        500,
        `listen tcp 127.0.0.1:${port}: bind: address already in use`,
      );
      assertError(await api(target, "GET", path(name)), 404, "proxy not found");
    } finally {
      holder.close();
    }
  });

  it("leaves a proxy disabled with the new listen stored when a restart cannot bind", async () => {
    const proxy = await createProxy(target, "rebind", upstream.port);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      assertError(
        await api(target, "POST", path(proxy.name), { listen: `127.0.0.1:${port}` }),
        500,
        `listen tcp 127.0.0.1:${port}: bind: address already in use`,
      );
      const shown = (await api(target, "GET", path(proxy.name))).json<ProxyInfo>();
      assert.equal(shown.enabled, false);
      assert.equal(shown.listen, `127.0.0.1:${port}`);
    } finally {
      holder.close();
    }
  });
});

describe("toxics", () => {
  let proxy: ProxyInfo;
  before(async () => {
    proxy = await createProxy(target, "toxics", upstream.port);
  });
  const toxicsPath = () => `${path(proxy.name)}/toxics`;
  const add = (body: unknown) => api(target, "POST", toxicsPath(), body);

  it("fills in defaults: downstream, toxicity 1, name <type>_<stream>, every attribute at 0; answers 200", async () => {
    const reply = await add({ type: "latency" });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get("content-type"), "application/json");
    assert.equal(
      reply.text,
      '{"attributes":{"latency":0,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}',
    );
    await api(target, "DELETE", `${toxicsPath()}/latency_downstream`);
  });

  it("echoes the stream as sent and uses it in the default name", async () => {
    const reply = await add({ type: "latency", stream: "UPSTREAM" });
    assert.equal(reply.status, 200);
    const toxic = reply.json<{ name: string; stream: string }>();
    assert.equal(toxic.stream, "UPSTREAM");
    assert.equal(toxic.name, "latency_UPSTREAM");
    await api(target, "DELETE", `${toxicsPath()}/latency_UPSTREAM`);
  });

  it("serialises every type with its full attribute set and drops unknown keys", async () => {
    const expected: Record<string, Record<string, number>> = {
      latency: { latency: 0, jitter: 0 },
      bandwidth: { rate: 0 },
      slow_close: { delay: 0 },
      timeout: { timeout: 0 },
      reset_peer: { timeout: 0 },
      slicer: { average_size: 10, size_variation: 0, delay: 0 },
      limit_data: { bytes: 0 },
      noop: {},
    };
    for (const [type, attributes] of Object.entries(expected)) {
      const sent = type === "slicer" ? { average_size: 10, bogus: 1 } : { bogus: 1 };
      const reply = await add({ type, name: `all_${type}`, attributes: sent });
      assert.equal(reply.status, 200, `${type}: ${reply.text}`);
      assert.deepEqual(reply.json<{ attributes: unknown }>().attributes, attributes, type);
    }
    for (const type of Object.keys(expected)) await api(target, "DELETE", `${toxicsPath()}/all_${type}`);
  });

  it("accepts toxicity outside [0, 1] unchecked, keeps 1 for null, and prints float32 shortest", async () => {
    for (const [toxicity, shown] of [
      [7, "7"],
      [-1, "-1"],
      [0.1, "0.1"],
      [null, "1"],
    ] as const) {
      const reply = await add({ type: "noop", name: "toxicity_case", toxicity });
      assert.equal(reply.status, 200);
      assert.ok(reply.text.endsWith(`"toxicity":${shown}}`), reply.text);
      await api(target, "DELETE", `${toxicsPath()}/toxicity_case`);
    }
  });

  it("reports every create error with the exact message, in the real server's order", async () => {
    const stream = "stream was invalid, can be either upstream or downstream";
    assertError(await add({ type: "latency", stream: "" }), 400, stream);
    assertError(await add({ type: "latency", stream: "sideways" }), 400, stream);
    assertError(await add({ type: "nope", stream: "sideways" }), 400, stream);
    assertError(await add({}), 400, "invalid toxic type");
    assertError(await add({ type: "" }), 400, "invalid toxic type");
    assertError(await add({ type: "down" }), 400, "invalid toxic type");
    assertError(await add({ type: "LATENCY" }), 400, "invalid toxic type");
    assertError(await add(""), 400, "bad request body: EOF");
    assertBadBody(await add("[]"));
    assertBadBody(await add({ type: "latency", toxicity: "0.5" }));
    assertBadBody(await add({ type: "latency", attributes: "fast" }));
    for (const rate of ['"fast"', "1.5", "1e2"]) {
      assertBadBody(await add(`{"type":"bandwidth","name":"bad_rate","attributes":{"rate":${rate}}}`));
    }
    // A name is unique across both directions, checked after the type and before the attributes.
    assert.equal((await add({ type: "noop", name: "dup", stream: "upstream" })).status, 200);
    assertError(
      await add({ type: "latency", name: "dup", stream: "downstream" }),
      409,
      "toxic already exists",
    );
    assertError(await add({ type: "bad", name: "dup" }), 400, "invalid toxic type");
    assertError(
      await add({ type: "bandwidth", name: "dup", attributes: { rate: "fast" } }),
      409,
      "toxic already exists",
    );
    await api(target, "DELETE", `${toxicsPath()}/dup`);
  });

  it("lists upstream toxics first, then downstream, each in insertion order", async () => {
    await add({ type: "noop", name: "d1" });
    await add({ type: "noop", name: "u1", stream: "upstream" });
    await add({ type: "noop", name: "d2" });
    await add({ type: "noop", name: "u2", stream: "upstream" });
    const listed = await api(target, "GET", toxicsPath());
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json<Array<{ name: string }>>().map((toxic) => toxic.name),
      ["u1", "u2", "d1", "d2"],
    );
    const shown = (await api(target, "GET", path(proxy.name))).json<ProxyInfo>();
    assert.deepEqual(
      shown.toxics.map((toxic) => toxic.name),
      ["u1", "u2", "d1", "d2"],
    );
    for (const name of ["u1", "u2", "d1", "d2"]) await api(target, "DELETE", `${toxicsPath()}/${name}`);
    assert.equal((await api(target, "GET", toxicsPath())).text, "[]");
  });

  it("shows, updates (merging attributes) and deletes a toxic", async () => {
    await add({ type: "latency", name: "lat", attributes: { latency: 100 }, toxicity: 0.5 });
    const shown = await api(target, "GET", `${toxicsPath()}/lat`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.json(), {
      attributes: { latency: 100, jitter: 0 },
      name: "lat",
      type: "latency",
      stream: "downstream",
      toxicity: 0.5,
    });
    const merged = await api(target, "POST", `${toxicsPath()}/lat`, {
      attributes: { jitter: 7 },
      name: "renamed",
      type: "bandwidth",
      stream: "upstream",
    });
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.json(), {
      attributes: { latency: 100, jitter: 7 },
      name: "lat",
      type: "latency",
      stream: "downstream",
      toxicity: 0.5,
    });
    const patched = await api(target, "PATCH", `${toxicsPath()}/lat`, { toxicity: 1 });
    assert.equal(patched.json<{ toxicity: number }>().toxicity, 1);
    assertError(await api(target, "POST", `${toxicsPath()}/lat`, ""), 400, "bad request body: EOF");
    assertBadBody(await api(target, "POST", `${toxicsPath()}/lat`, { attributes: { latency: 1.5 } }));
    const deleted = await api(target, "DELETE", `${toxicsPath()}/lat`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assertError(await api(target, "DELETE", `${toxicsPath()}/lat`), 404, "toxic not found");
  });

  it("answers 404 toxic not found, before reading the update body", async () => {
    assertError(await api(target, "GET", `${toxicsPath()}/missing`), 404, "toxic not found");
    assertError(await api(target, "POST", `${toxicsPath()}/missing`, ""), 404, "toxic not found");
    assertError(await api(target, "PATCH", `${toxicsPath()}/missing`, "{"), 404, "toxic not found");
  });

  it("accepts toxics on a disabled proxy", async () => {
    const name = target.name("disabled_toxics");
    await api(target, "POST", "/proxies", { name, upstream: "127.0.0.1:1", enabled: false });
    assert.equal((await api(target, "POST", `${path(name)}/toxics`, { type: "latency" })).status, 200);
  });

  it("refuses the values that crash the real server (§2.3) with 400", { skip: EMBEDDED_ONLY }, async () => {
    const refused = [
      { type: "bandwidth", attributes: { rate: -1 } },
      { type: "slicer", attributes: { average_size: 0, size_variation: 0 } },
      { type: "slicer", attributes: { average_size: 10, size_variation: 11 } },
      { type: "slicer", attributes: { average_size: 10, size_variation: -1 } },
    ];
    for (const body of refused) {
      const reply = await add({ ...body, name: "hazard" });
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.match(JSON.parse(reply.text).error, /^invalid attributes: /);
    }
    await add({ type: "bandwidth", name: "hazard", attributes: { rate: 10 } });
    const update = await api(target, "POST", `${toxicsPath()}/hazard`, { attributes: { rate: -5 } });
    assert.equal(update.status, 400);
    const kept = (await api(target, "GET", `${toxicsPath()}/hazard`)).json<{
      attributes: { rate: number };
    }>();
    assert.equal(kept.attributes.rate, 10);
    await api(target, "DELETE", `${toxicsPath()}/hazard`);
  });
});

describe("populate", () => {
  const entry = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
    name,
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${port}`,
    ...extra,
  });

  it("creates proxies in order: 201 with {proxies:[…]} and bound ports", async () => {
    const [a, b] = [target.name("pop_a"), target.name("pop_b")];
    const reply = await api(target, "POST", "/populate", [
      entry(a, upstream.port),
      entry(b, upstream.port, { enabled: false }),
    ]);
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get("content-type"), "application/json");
    const { proxies } = reply.json<{ proxies: ProxyInfo[] }>();
    assert.deepEqual(
      proxies.map((p) => [p.name, p.enabled]),
      [
        [a, true],
        [b, false],
      ],
    );
    assert.match(proxies[0]?.listen ?? "", /^127\.0\.0\.1:[1-9]\d*$/);
  });

  it("keeps a proxy whose listen and upstream are unchanged (toxics survive), replaces one that differs", async () => {
    const kept = await createProxy(target, "pop_kept", upstream.port);
    const replaced = await createProxy(target, "pop_replaced", upstream.port);
    await addToxic(target, kept.name, { type: "latency", name: "stays" });
    await addToxic(target, replaced.name, { type: "latency", name: "goes" });
    const other = await startUpstream();
    const reply = await api(target, "POST", "/populate", [
      { name: kept.name, listen: kept.listen, upstream: kept.upstream, enabled: false },
      { name: replaced.name, listen: replaced.listen, upstream: `127.0.0.1:${other.port}` },
    ]);
    assert.equal(reply.status, 201, reply.text);
    const keptNow = (await api(target, "GET", path(kept.name))).json<ProxyInfo>();
    assert.deepEqual(
      keptNow.toxics.map((t) => t.name),
      ["stays"],
    );
    assert.equal(keptNow.enabled, true, "the entry's enabled is ignored for a kept proxy");
    const replacedNow = (await api(target, "GET", path(replaced.name))).json<ProxyInfo>();
    assert.deepEqual(replacedNow.toxics, []);
    assert.equal(replacedNow.upstream, `127.0.0.1:${other.port}`);
  });

  it("validates every entry first: a missing name or upstream creates nothing", async () => {
    const first = target.name("pop_never");
    const reply = await api(target, "POST", "/populate", [
      entry(first, upstream.port),
      { upstream: "127.0.0.1:1" },
    ]);
    assert.equal(reply.status, 400);
    assert.equal(reply.headers.get("content-type"), "application/json");
    assert.deepEqual(reply.json(), {
      error: "missing required field: name at proxy 2",
      status: 400,
      proxies: null,
    });
    assert.equal((await api(target, "GET", path(first))).status, 404);
    const noUpstream = await api(target, "POST", "/populate", [{ name: target.name("pop_x") }]);
    assert.deepEqual(noUpstream.json(), {
      error: "missing required field: upstream at proxy 1",
      status: 400,
      proxies: null,
    });
    const notArray = await api(target, "POST", "/populate", { name: "x" });
    assert.equal(notArray.status, 400);
    assert.match(
      notArray.json<{ error: string }>().error,
      /^bad request body: json: cannot unmarshal object into Go value of type/,
    );
  });

  it("stops at a bind failure: 500 with the proxies already processed, no rollback", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    const [a, b, c] = [target.name("pop_1"), target.name("pop_2"), target.name("pop_3")];
    try {
      const reply = await api(target, "POST", "/populate", [
        entry(a, upstream.port),
        { name: b, listen: `127.0.0.1:${port}`, upstream: "127.0.0.1:1" },
        entry(c, upstream.port),
      ]);
      assert.equal(reply.status, 500);
      assert.equal(reply.headers.get("content-type"), "application/json");
      const body = reply.json<{ error: string; status: number; proxies: ProxyInfo[] }>();
      assert.equal(body.error, `listen tcp 127.0.0.1:${port}: bind: address already in use`);
      assert.equal(body.status, 500);
      assert.deepEqual(
        body.proxies.map((p) => p.name),
        [a],
      );
      assert.equal((await api(target, "GET", path(a))).status, 200);
      assert.equal((await api(target, "GET", path(c))).status, 404);
    } finally {
      holder.close();
    }
  });

  it("answers an empty array with 201: an empty list here, null on the real server", async () => {
    const reply = await api(target, "POST", "/populate", []);
    assert.equal(reply.status, 201);
    if (target.embedded) {
      // The documented divergence: `null` makes toxiproxy-node-client's populate() throw.
      assert.equal(reply.text, '{"proxies":[]}');
      assert.deepEqual(await target.client.populate([]), {});
    } else {
      assert.equal(reply.text, '{"proxies":null}');
      await assert.rejects(target.client.populate([]), /not iterable/);
    }
  });
});

describe("reset", () => {
  it("re-enables disabled proxies on their port and removes every toxic, keeping the proxies (204)", async () => {
    const proxy = await createProxy(target, "reset", upstream.port);
    await addToxic(target, proxy.name, { type: "latency", name: "r1" });
    await addToxic(target, proxy.name, { type: "noop", name: "r2", stream: "upstream" });
    await api(target, "POST", path(proxy.name), { enabled: false });
    const reply = await api(target, "POST", "/reset", "ignored body");
    assert.equal(reply.status, 204);
    assert.equal(reply.text, "");
    const shown = (await api(target, "GET", path(proxy.name))).json<ProxyInfo>();
    assert.equal(shown.enabled, true);
    assert.equal(shown.listen, proxy.listen);
    assert.deepEqual(shown.toxics, []);
  });
});

describe("toxiproxy-node-client against this server", () => {
  it("drives every call the client makes", async () => {
    const client = target.client;
    const name = target.name("client");
    const proxy = await client.createProxy({
      name,
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${upstream.port}`,
    });
    assert.equal(proxy.name, name);
    assert.equal(proxy.enabled, true);
    assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
    assert.equal((await client.get(name)).listen, proxy.listen);
    assert.ok((await client.getAll())[name]);
    const toxic = await proxy.addToxic({
      name: "client_latency",
      type: "latency",
      stream: "upstream",
      toxicity: 1,
      attributes: { latency: 10, jitter: 0 },
    });
    assert.deepEqual(toxic.toJson(), {
      name: "client_latency",
      type: "latency",
      stream: "upstream",
      toxicity: 1,
      attributes: { latency: 10, jitter: 0 },
    });
    const updated = await toxic.update({ ...toxic.toJson(), attributes: { latency: 20, jitter: 1 } });
    assert.deepEqual(updated.attributes, { latency: 20, jitter: 1 });
    assert.equal((await proxy.getToxic<{ latency: number }>("client_latency")).attributes.latency, 20);
    await updated.remove();
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    assert.equal(disabled.enabled, false);
    const populated = await client.populate([{ name, listen: proxy.listen, upstream: proxy.upstream }]);
    assert.ok(populated[name]);
    await client.reset();
    assert.equal((await client.get(name)).enabled, true);
    assert.match(await client.getVersion(), /^\{"version": "[^"]+"\}\n$/);
    await proxy.remove();
    await assert.rejects(client.get(name), /Request failed with status code 404/);
  });
});
