// Shared by the proxy test files: the server under test (the embedded one, or the real Toxiproxy
// at TOXIPROXY_TEST_URL), loopback upstream servers the tests control, and timed socket helpers.
import net from "node:net";
import { Toxiproxy } from "toxiproxy-node-client";
import { createRandom } from "../../kernel/random";
import { normaliseApiUrl } from "./control";
import { startProxyServer } from "./server";
import { toxiproxyTestUrl } from "./toxiproxy-target";

export interface Target {
  url: string;
  /** False against a real Toxiproxy: embedded-only divergences and §2.3 hazards are skipped. */
  embedded: boolean;
  client: Toxiproxy;
  /** Deletes the proxies the tests created, then stops the embedded server. */
  close(): Promise<void>;
  /** A proxy name unique to this run, deleted by close(). */
  name(label: string): string;
}

let names = 0;

// Everything a test opened, so one `after()` per file can close it and the process can exit.
const openSockets = new Set<net.Socket>();
const openUpstreams = new Set<Upstream>();

/** Destroys every client socket and closes every upstream server the tests opened. */
export async function closeAll(): Promise<void> {
  for (const socket of openSockets) socket.destroy();
  openSockets.clear();
  await Promise.all([...openUpstreams].map((upstream) => upstream.close()));
  openUpstreams.clear();
}

export async function openTarget(options: { seed?: number; metrics?: boolean } = {}): Promise<Target> {
  const real = toxiproxyTestUrl();
  const server = real
    ? undefined
    : await startProxyServer({
        host: "127.0.0.1",
        port: 0,
        random: createRandom(options.seed ?? 20261129),
        metrics: options.metrics,
      });
  const url = real ? normaliseApiUrl(real) : (server?.url as string);
  const created = new Set<string>();
  return {
    url,
    embedded: server !== undefined,
    client: new Toxiproxy(url),
    name: (label) => {
      names += 1;
      const name = `t${process.pid}_${names}_${label}`;
      created.add(name);
      return name;
    },
    close: async () => {
      if (server !== undefined) return server.close();
      await Promise.all(
        [...created].map((name) => fetch(`${url}/proxies/${encodeURIComponent(name)}`, { method: "DELETE" })),
      );
    },
  };
}

export interface ApiReply {
  status: number;
  text: string;
  headers: Headers;
  json<T = unknown>(): T;
}

/** A raw API call; objects are sent as JSON, strings verbatim. */
export async function api(
  target: Pick<Target, "url">,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiReply> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    headers: response.headers,
    json: <T>() => JSON.parse(text) as T,
  };
}

export interface ProxyInfo {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  port: number;
  toxics: Array<{
    name: string;
    type: string;
    stream: string;
    toxicity: number;
    attributes: Record<string, number>;
  }>;
}

export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

/** Creates an enabled proxy on 127.0.0.1:0 in front of `upstreamPort`. */
export async function createProxy(
  target: Target,
  label: string,
  upstreamPort: number,
  extra: Record<string, unknown> = {},
): Promise<ProxyInfo> {
  const name = target.name(label);
  const reply = await api(target, "POST", "/proxies", {
    name,
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${upstreamPort}`,
    ...extra,
  });
  if (reply.status !== 201) throw new Error(`create proxy ${name}: ${reply.status} ${reply.text}`);
  const proxy = reply.json<Omit<ProxyInfo, "port">>();
  return { ...proxy, port: portOf(proxy.listen) };
}

export async function addToxic(
  target: Target,
  proxy: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const reply = await api(target, "POST", `/proxies/${encodeURIComponent(proxy)}/toxics`, body);
  if (reply.status !== 200) throw new Error(`add toxic to ${proxy}: ${reply.status} ${reply.text}`);
  return reply.json();
}

export async function updateToxic(
  target: Target,
  proxy: string,
  toxic: string,
  body: unknown,
): Promise<void> {
  const reply = await api(target, "POST", `/proxies/${encodeURIComponent(proxy)}/toxics/${toxic}`, body);
  if (reply.status !== 200) throw new Error(`update toxic ${toxic}: ${reply.status} ${reply.text}`);
}

export async function removeToxic(target: Target, proxy: string, toxic: string): Promise<void> {
  const reply = await api(target, "DELETE", `/proxies/${encodeURIComponent(proxy)}/toxics/${toxic}`);
  if (reply.status !== 204) throw new Error(`remove toxic ${toxic}: ${reply.status} ${reply.text}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A loopback server whose accepted sockets the test can act on; echoes by default. */
export interface Upstream {
  port: number;
  /** Resolves with the next accepted socket (and when it arrived). */
  nextConnection(): Promise<UpstreamConnection>;
  close(): Promise<void>;
}

export interface UpstreamConnection {
  socket: net.Socket;
  reader: Reader;
}

export async function startUpstream(
  mode: "echo" | "sink" | ((socket: net.Socket) => void) = "echo",
): Promise<Upstream> {
  const sockets = new Set<net.Socket>();
  const waiting: Array<(connection: UpstreamConnection) => void> = [];
  const arrived: UpstreamConnection[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const reader = new Reader(socket);
    if (mode === "echo") socket.on("data", (data) => socket.write(data));
    else if (typeof mode === "function") mode(socket);
    const connection = { socket, reader };
    const resolve = waiting.shift();
    if (resolve) resolve(connection);
    else arrived.push(connection);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const upstream: Upstream = {
    port: (server.address() as net.AddressInfo).port,
    nextConnection: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        openUpstreams.delete(upstream);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  openUpstreams.add(upstream);
  return upstream;
}

/** How a socket's reading side ended. */
export interface Ending {
  kind: "end" | "error";
  code?: string;
  at: number;
}

/** Collects what a socket receives, with timestamps, and how it ends. */
export class Reader {
  readonly reads: Array<{ at: number; length: number }> = [];
  private chunks: Buffer[] = [];
  private received = 0;
  ending: Ending | undefined;
  private listeners: Array<() => void> = [];

  constructor(readonly socket: net.Socket) {
    socket.on("data", (data: Buffer) => {
      this.chunks.push(data);
      this.received += data.length;
      this.reads.push({ at: performance.now(), length: data.length });
      this.notify();
    });
    socket.on("end", () => this.finish({ kind: "end", at: performance.now() }));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      this.finish({ kind: "error", code: error.code, at: performance.now() }),
    );
    socket.on("close", () => this.finish({ kind: "end", at: performance.now() }));
  }

  private finish(ending: Ending): void {
    this.ending ??= ending;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }

  get data(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  get length(): number {
    return this.received;
  }

  /** Waits until `predicate` holds; rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once `bytes` in total have arrived; the time of the read that completed them. */
  async bytes(bytes: number, timeoutMs = 2000): Promise<number> {
    await this.until(() => this.received >= bytes || this.ending !== undefined, timeoutMs, `${bytes} bytes`);
    if (this.received < bytes) throw new Error(`connection ended after ${this.received} of ${bytes} bytes`);
    const last = this.reads.at(-1);
    return last?.at ?? performance.now();
  }

  async end(timeoutMs = 2000): Promise<Ending> {
    await this.until(() => this.ending !== undefined, timeoutMs, "the connection to end");
    return this.ending as Ending;
  }
}

export interface Client {
  socket: net.Socket;
  reader: Reader;
}

export async function connect(port: number): Promise<Client> {
  const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
  openSockets.add(socket);
  socket.once("close", () => openSockets.delete(socket));
  socket.setNoDelay(true);
  const reader = new Reader(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { socket, reader };
}

/** Connecting fails with this code (e.g. ECONNREFUSED), or resolves undefined if it connects. */
export async function connectError(port: number): Promise<string | undefined> {
  try {
    const client = await connect(port);
    client.socket.destroy();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/** Writes `payload` and waits until the same number of bytes came back; the round trip in ms. */
export async function roundTrip(client: Client, payload = "ping", timeoutMs = 3000): Promise<number> {
  const expected = client.reader.length + Buffer.byteLength(payload);
  const started = performance.now();
  client.socket.write(payload);
  const arrived = await client.reader.bytes(expected, timeoutMs);
  return arrived - started;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** A port nothing listens on (a server bound it, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
