// Proxy state changes and live connections (shared/specs/toxiproxy.md §3.2): disable, enable,
// delete, upstream changes, populate and reset. Runs against TOXIPROXY_TEST_URL when set.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  addToxic,
  api,
  closeAll,
  connect,
  connectError,
  createProxy,
  openTarget,
  type ProxyInfo,
  roundTrip,
  startUpstream,
  type Target,
  type Upstream,
} from "./test-support";
import { toxiproxyTestUrl } from "./toxiproxy-target";

const REAL = toxiproxyTestUrl() !== undefined;

let target: Target;
let echo: Upstream;

before(async () => {
  target = await openTarget();
  echo = await startUpstream("echo");
});
after(async () => {
  await closeAll();
  await target.close();
});

const path = (name: string) => `/proxies/${encodeURIComponent(name)}`;

/** A connected client whose links are running (one round trip done). */
async function liveClient(port: number) {
  const client = await connect(port);
  await roundTrip(client);
  return client;
}

describe("proxy state and live connections", () => {
  it("disable closes live connections with EOF within 500 ms; new clients are refused; enable rebinds the same port", async () => {
    const proxy = await createProxy(target, "disable", echo.port);
    const client = await liveClient(proxy.port);
    const started = performance.now();
    assert.equal((await api(target, "POST", path(proxy.name), { enabled: false })).status, 200);
    const ending = await client.reader.end(1000);
    assert.equal(ending.kind, "end", "a FIN, not an RST");
    assert.ok(ending.at - started < 500, `${(ending.at - started).toFixed(1)} ms`);
    assert.equal(await connectError(proxy.port), "ECONNREFUSED");
    const enabled = (await api(target, "POST", path(proxy.name), { enabled: true })).json<ProxyInfo>();
    assert.equal(enabled.listen, proxy.listen);
    const again = await liveClient(proxy.port);
    assert.ok((await roundTrip(again)) < 50);
  });

  it("delete closes live connections within 500 ms and frees the port", async () => {
    const proxy = await createProxy(target, "delete", echo.port);
    const client = await liveClient(proxy.port);
    const started = performance.now();
    assert.equal((await api(target, "DELETE", path(proxy.name))).status, 204);
    const ending = await client.reader.end(1000);
    assert.equal(ending.kind, "end");
    assert.ok(ending.at - started < 500, `${(ending.at - started).toFixed(1)} ms`);
    assert.equal(await connectError(proxy.port), "ECONNREFUSED");
  });

  it("a new upstream closes live connections; new ones reach the new upstream on the same port", async () => {
    const first = await startUpstream("echo");
    const second = await startUpstream("echo");
    const proxy = await createProxy(target, "move", first.port);
    const client = await liveClient(proxy.port);
    const updated = await api(target, "POST", path(proxy.name), { upstream: `127.0.0.1:${second.port}` });
    assert.equal(updated.json<ProxyInfo>().listen, proxy.listen);
    assert.equal((await client.reader.end(500)).kind, "end");
    const arrival = second.nextConnection();
    await liveClient(proxy.port);
    await arrival;
  });

  it("re-sending the same listen, even as localhost:<port>, leaves live connections alone", async () => {
    const proxy = await createProxy(target, "same_listen", echo.port);
    const client = await liveClient(proxy.port);
    const reply = await api(target, "POST", path(proxy.name), {
      listen: `localhost:${proxy.port}`,
      enabled: true,
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.json<ProxyInfo>().listen, proxy.listen);
    assert.ok((await roundTrip(client)) < 50);
    assert.equal(client.reader.ending, undefined);
  });

  it("populate keeps connections of an unchanged proxy and closes those of a replaced one", async () => {
    const kept = await createProxy(target, "pop_live_kept", echo.port);
    const replaced = await createProxy(target, "pop_live_replaced", echo.port);
    const keptClient = await liveClient(kept.port);
    const replacedClient = await liveClient(replaced.port);
    const other = await startUpstream("echo");
    const reply = await api(target, "POST", "/populate", [
      { name: kept.name, listen: kept.listen, upstream: kept.upstream },
      { name: replaced.name, listen: replaced.listen, upstream: `127.0.0.1:${other.port}` },
    ]);
    assert.equal(reply.status, 201);
    assert.equal((await replacedClient.reader.end(500)).kind, "end");
    assert.ok((await roundTrip(keptClient)) < 50);
  });

  it("reset removes toxics from live connections in place, but closes those a timeout toxic was on", async () => {
    const slowed = await createProxy(target, "reset_latency", echo.port);
    const blackholed = await createProxy(target, "reset_timeout", echo.port);
    const slowClient = await liveClient(slowed.port);
    const holeClient = await liveClient(blackholed.port);
    await addToxic(target, slowed.name, { type: "latency", attributes: { latency: 100 } });
    await addToxic(target, blackholed.name, { type: "timeout", attributes: { timeout: 0 } });
    assert.ok((await roundTrip(slowClient)) >= 100);
    assert.equal((await api(target, "POST", "/reset")).status, 204);
    assert.ok((await roundTrip(slowClient)) < 50, "the latency toxic is gone, the connection survives");
    assert.equal((await holeClient.reader.end(500)).kind, "end");
  });
});

describe("metrics (embedded, like -proxy-metrics)", {
  skip: REAL && "the real server's flags are unknown",
}, () => {
  it("counts bytes per direction once a connection has closed", async () => {
    const metered = await openTarget({ metrics: true });
    try {
      const proxy = await createProxy(metered, "metered", echo.port);
      const client = await liveClient(proxy.port);
      client.socket.write("more");
      await client.reader.bytes(8);
      client.socket.end();
      await client.reader.end();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reply = await api(metered, "GET", "/metrics");
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
      const labels = `listener="${proxy.listen}",proxy="${proxy.name}",upstream="${proxy.upstream}"`;
      for (const direction of ["upstream", "downstream"]) {
        assert.ok(
          reply.text.includes(`toxiproxy_proxy_received_bytes_total{direction="${direction}",${labels}} 8`),
          reply.text,
        );
        assert.ok(
          reply.text.includes(`toxiproxy_proxy_sent_bytes_total{direction="${direction}",${labels}} 8`),
          reply.text,
        );
      }
      assert.equal((await api(metered, "DELETE", "/metrics")).status, 200, "any method");
    } finally {
      await metered.close();
    }
  });
});
