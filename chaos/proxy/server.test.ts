import assert from "node:assert/strict";
import net from "node:net";
import { after, describe, it } from "node:test";
import { startProxyServer } from "./server";
import {
  api,
  closeAll,
  connect,
  connectError,
  createProxy,
  roundTrip,
  startUpstream,
  type Target,
} from "./test-support";

after(closeAll);

describe("startProxyServer", () => {
  it("serves the API on the port it was given, and close() ends the API, every listener and every connection", async () => {
    const server = await startProxyServer({ host: "127.0.0.1", port: 0 });
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const echo = await startUpstream("echo");
    const target = { url: server.url, name: (label: string) => label } as Target;
    const proxy = await createProxy(target, "closing", echo.port);
    const client = await connect(proxy.port);
    await roundTrip(client);

    await server.close();
    assert.equal((await client.reader.end(500)).kind, "end");
    assert.equal(await connectError(proxy.port), "ECONNREFUSED");
    assert.equal(await connectError(server.port), "ECONNREFUSED");
    await server.close();
  });

  it("rejects with EADDRINUSE when its port is taken", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      await assert.rejects(startProxyServer({ host: "127.0.0.1", port }), { code: "EADDRINUSE" });
    } finally {
      holder.close();
    }
  });

  it("answers a malformed request without crashing and keeps serving", async () => {
    const server = await startProxyServer({ host: "127.0.0.1", port: 0 });
    try {
      const target = { url: server.url };
      for (const body of [
        "{",
        "\u0000",
        "[[[[[[",
        '{"name":"x","upstream":"y:1"'.repeat(1000),
        "9".repeat(400),
      ]) {
        assert.equal((await api(target, "POST", "/proxies", body)).status, 400);
        assert.equal((await api(target, "POST", "/populate", body)).status, 400);
      }
      assert.equal((await api(target, "POST", "/proxies", "[".repeat(20_000))).status, 400);
      assert.equal((await api(target, "GET", "/proxies")).text, "{}");
    } finally {
      await server.close();
    }
  });
});
