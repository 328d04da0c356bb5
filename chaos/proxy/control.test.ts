// createProxyControl, the client Faultline itself uses, against the embedded server or the real
// Toxiproxy at TOXIPROXY_TEST_URL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createProxyControl,
  FAULTLINE_TOXIC_PREFIX,
  normaliseApiUrl,
  type ProxyControl,
  ProxyControlError,
} from "./control";
import {
  addToxic,
  api,
  closeAll,
  closedPort,
  connect,
  openTarget,
  type ProxyInfo,
  portOf,
  roundTrip,
  startUpstream,
  type Target,
  type Upstream,
} from "./test-support";

let target: Target;
let echo: Upstream;
let control: ProxyControl;

before(async () => {
  target = await openTarget();
  echo = await startUpstream("echo");
  control = createProxyControl(target.url);
});
after(async () => {
  await closeAll();
  await target.close();
});

describe("createProxyControl", () => {
  it("normalises the API URL to 127.0.0.1 without a trailing slash", () => {
    assert.equal(normaliseApiUrl("http://localhost:8474/"), "http://127.0.0.1:8474");
    assert.equal(normaliseApiUrl("http://10.0.0.2:9000"), "http://10.0.0.2:9000");
  });

  it("ensureProxy creates a proxy, then leaves it alone (same port, live connections kept)", async () => {
    const name = target.name("ensure");
    const upstream = `127.0.0.1:${echo.port}`;
    const created = await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream });
    assert.equal(created.enabled, true);
    assert.notEqual(portOf(created.listen), 0);
    const client = await connect(portOf(created.listen));
    await roundTrip(client);
    const again = await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream });
    assert.deepEqual(again, created);
    assert.ok((await roundTrip(client)) < 50);
    assert.equal(client.reader.ending, undefined);
  });

  it("ensureProxy re-enables a disabled proxy and moves it to a new upstream", async () => {
    const name = target.name("ensure_update");
    const first = await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream: "127.0.0.1:1" });
    await api(target, "POST", `/proxies/${name}`, { enabled: false });
    const moved = await control.ensureProxy({
      name,
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${echo.port}`,
    });
    assert.equal(moved.enabled, true);
    assert.equal(moved.upstream, `127.0.0.1:${echo.port}`);
    assert.equal(moved.listen, first.listen);
    assert.ok((await roundTrip(await connect(portOf(moved.listen)))) < 50);
  });

  it("addToxic names toxics with the faultline_ prefix and the toxic takes effect", async () => {
    const name = target.name("add");
    const proxy = await control.ensureProxy({
      name,
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${echo.port}`,
    });
    const toxic = await control.addToxic(name, { type: "latency", attributes: { latency: 100, jitter: 0 } });
    assert.deepEqual(toxic, {
      proxy: name,
      name: "faultline_latency_downstream",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 100, jitter: 0 },
    });
    const named = await control.addToxic(name, {
      type: "bandwidth",
      name: "slow_link",
      stream: "upstream",
      toxicity: 0.5,
      attributes: { rate: 1000 },
    });
    assert.equal(named.name, "faultline_slow_link");
    assert.equal(named.stream, "upstream");
    assert.equal(named.toxicity, 0.5);
    assert.ok((await roundTrip(await connect(portOf(proxy.listen)))) >= 100);
    await assert.rejects(
      control.addToxic(name, { type: "latency", attributes: { latency: 1 } }),
      (error: unknown) => error instanceof ProxyControlError && error.upstreamStatus === 409,
    );
  });

  it("removeToxic removes one of ours (by short or full name) and reports one already gone", async () => {
    const name = target.name("remove");
    await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream: `127.0.0.1:${echo.port}` });
    await control.addToxic(name, { type: "noop", name: "a", attributes: {} });
    await control.addToxic(name, { type: "noop", name: "b", attributes: {} });
    assert.equal(await control.removeToxic(name, "a"), true);
    assert.equal(await control.removeToxic(name, "faultline_b"), true);
    assert.equal(await control.removeToxic(name, "a"), false);
  });

  it("never touches a toxic without the prefix, even when asked for it by name", async () => {
    const name = target.name("foreign_name");
    await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream: `127.0.0.1:${echo.port}` });
    await addToxic(target, name, { type: "noop", name: "theirs" });
    assert.equal(await control.removeToxic(name, "theirs"), false);
    const shown = (await api(target, "GET", `/proxies/${name}`)).json<ProxyInfo>();
    assert.deepEqual(
      shown.toxics.map((toxic) => toxic.name),
      ["theirs"],
    );
  });

  it("removeFaultlineToxics (halt) removes every faultline_ toxic on every proxy and leaves the others", async () => {
    const [one, two] = [target.name("halt_1"), target.name("halt_2")];
    for (const name of [one, two]) {
      await control.ensureProxy({ name, listen: "127.0.0.1:0", upstream: `127.0.0.1:${echo.port}` });
    }
    await control.addToxic(one, { type: "latency", attributes: { latency: 50 } });
    await control.addToxic(one, { type: "timeout", stream: "upstream", attributes: { timeout: 0 } });
    await control.addToxic(two, { type: "limit_data", attributes: { bytes: 10 } });
    await addToxic(target, one, { type: "latency", name: "operator_latency", stream: "upstream" });
    await addToxic(target, two, { type: "noop", name: "faultlinex_lookalike" });

    const ours = await control.listFaultlineToxics();
    const mine = ours.filter((toxic) => toxic.proxy === one || toxic.proxy === two);
    assert.deepEqual(mine.map((toxic) => `${toxic.proxy}/${toxic.name}`).sort(), [
      `${one}/faultline_latency_downstream`,
      `${one}/faultline_timeout_upstream`,
      `${two}/faultline_limit_data_downstream`,
    ]);
    assert.ok(ours.every((toxic) => toxic.name.startsWith(FAULTLINE_TOXIC_PREFIX)));

    const removed = await control.removeFaultlineToxics();
    assert.ok(removed >= 3, `${removed} removed`);
    const left = async (name: string) =>
      (await api(target, "GET", `/proxies/${name}`)).json<ProxyInfo>().toxics.map((toxic) => toxic.name);
    assert.deepEqual(await left(one), ["operator_latency"]);
    assert.deepEqual(await left(two), ["faultlinex_lookalike"]);
    assert.equal(await control.removeFaultlineToxics(), 0);
    assert.deepEqual(
      (await control.listFaultlineToxics()).filter((toxic) => toxic.proxy === one || toxic.proxy === two),
      [],
    );
  });

  it("version() parses the version out of the raw /version text", async () => {
    const version = await control.version();
    assert.match(version, /^\d+\.\d+\.\d+|^git$/);
    if (target.embedded) assert.equal(version, "2.12.0+faultline");
  });

  it("fails with a clear ProxyControlError when nothing answers", async () => {
    const dead = createProxyControl(`http://127.0.0.1:${await closedPort()}`);
    await assert.rejects(dead.removeFaultlineToxics(), (error: unknown) => {
      assert.ok(error instanceof ProxyControlError);
      assert.equal(error.upstreamStatus, undefined);
      assert.match(
        error.message,
        /^Toxiproxy at http:\/\/127\.0\.0\.1:\d+: removing Faultline's toxics failed/,
      );
      return true;
    });
  });
});
