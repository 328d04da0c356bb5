// bench:chaos-proxy — what the embedded Toxiproxy-compatible proxy costs when no toxic is active.
// 1. Throughput: 256 MiB written to a loopback sink, direct and through the proxy (MB/s, ratio).
// 2. Round trips: 5,000 ping-pongs of 64 bytes with a loopback echo server, direct and through the
//    proxy (P50/P99, ratios). Each figure is the median of 3 repetitions, paths interleaved.
// The proxy runs as its own process (scripts/proxy.ts), as under the launcher. A second process
// running the smallest possible Node proxy (`a.pipe(b).pipe(a)`) is the reference: the cost any
// Node TCP proxy process pays on this machine (wake-ups, copies through the kernel).
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createProxyControl } from "../../chaos/proxy/control";
import { projectRoot } from "../../lib/env";
import { freePort } from "../../lib/net/free-port";
import { median, percentile } from "./stats";

const BULK_BYTES = 256 * 1024 * 1024;
const ROUND_TRIPS = 5000;
const MESSAGE_BYTES = 64;
const REPETITIONS = 3;

export async function benchProxy(): Promise<void> {
  const sink = await startServer((socket) => {
    let received = 0;
    socket.on("data", (data: Buffer) => {
      received += data.length;
      if (received === BULK_BYTES) socket.write("k");
    });
  });
  const echo = await startServer((socket) => socket.on("data", (data: Buffer) => socket.write(data)));
  const proxy = await startProxyProcess();
  const reference = await startPipeProxy(sink.port, echo.port);
  try {
    const control = createProxyControl(proxy.url);
    const sinkProxy = await control.ensureProxy({
      name: "bench_sink",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${sink.port}`,
    });
    const echoProxy = await control.ensureProxy({
      name: "bench_echo",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${echo.port}`,
    });
    const via = (listen: string) => Number(listen.slice(listen.lastIndexOf(":") + 1));
    const paths: Record<Path, { sink: number; echo: number }> = {
      direct: { sink: sink.port, echo: echo.port },
      reference: { sink: reference.sinkPort, echo: reference.echoPort },
      proxy: { sink: via(sinkProxy.listen), echo: via(echoProxy.listen) },
    };
    const mbps = { direct: [], reference: [], proxy: [] } as Record<Path, number[]>;
    const p50 = { direct: [], reference: [], proxy: [] } as Record<Path, number[]>;
    const p99 = { direct: [], reference: [], proxy: [] } as Record<Path, number[]>;
    for (const ports of Object.values(paths)) {
      await bulk(ports.sink);
      await pingPong(ports.echo, 500);
    }
    for (let round = 0; round < REPETITIONS; round += 1) {
      for (const [key, ports] of Object.entries(paths) as Array<[Path, { sink: number; echo: number }]>) {
        mbps[key].push(await bulk(ports.sink));
        const rtts = await pingPong(ports.echo, ROUND_TRIPS);
        p50[key].push(median(rtts));
        p99[key].push(percentile(rtts, 99));
      }
    }
    report(mbps, p50, p99);
  } finally {
    await reference.stop();
    await proxy.stop();
    await sink.close();
    await echo.close();
  }
}

type Path = "direct" | "reference" | "proxy";

const LABELS: Record<Path, string> = {
  direct: "direct                 ",
  reference: "minimal pipe() proxy   ",
  proxy: "Faultline proxy        ",
};

function report(
  mbps: Record<Path, number[]>,
  p50: Record<Path, number[]>,
  p99: Record<Path, number[]>,
): void {
  const at = (values: Record<Path, number[]>, path: Path) => median(values[path]);
  console.log(
    `\nbench:chaos-proxy — throughput, ${BULK_BYTES / 1024 / 1024} MiB to a loopback sink, no toxic, median of ${REPETITIONS}`,
  );
  for (const path of Object.keys(LABELS) as Path[]) {
    console.log(`  ${LABELS[path]} ${at(mbps, path).toFixed(0).padStart(6)} MB/s`);
  }
  console.log(`  proxy / direct          ${(at(mbps, "proxy") / at(mbps, "direct")).toFixed(2)}×`);
  console.log(`  proxy / pipe() proxy    ${(at(mbps, "proxy") / at(mbps, "reference")).toFixed(2)}×`);
  console.log(
    `\nbench:chaos-proxy — round trip, ${ROUND_TRIPS.toLocaleString("en")} × ${MESSAGE_BYTES} B ping-pong, no toxic, median of ${REPETITIONS}`,
  );
  for (const path of Object.keys(LABELS) as Path[]) {
    console.log(`  ${LABELS[path]} p50 ${formatUs(at(p50, path))}  p99 ${formatUs(at(p99, path))}`);
  }
  const ratio = (values: Record<Path, number[]>, over: Path) =>
    (at(values, "proxy") / at(values, over)).toFixed(2);
  console.log(`  proxy / direct          p50 ${ratio(p50, "direct")}×  p99 ${ratio(p99, "direct")}×`);
  console.log(`  proxy / pipe() proxy    p50 ${ratio(p50, "reference")}×  p99 ${ratio(p99, "reference")}×`);
}

/** Writes BULK_BYTES and waits for the sink's one-byte acknowledgement; MB/s (10^6 bytes). */
async function bulk(port: number): Promise<number> {
  const socket = await connect(port);
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  const acknowledged = new Promise<void>((resolve) => socket.once("data", () => resolve()));
  const started = performance.now();
  for (let sent = 0; sent < BULK_BYTES; sent += block.length) {
    if (!socket.write(block)) await new Promise((resolve) => socket.once("drain", resolve));
  }
  await acknowledged;
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  return BULK_BYTES / 1e6 / seconds;
}

/** Sends one message at a time and waits for its echo; every round trip in ms. */
async function pingPong(port: number, count: number): Promise<number[]> {
  const socket = await connect(port);
  const message = Buffer.alloc(MESSAGE_BYTES, 0x70);
  const rtts: number[] = [];
  let pending = 0;
  let wake: (() => void) | undefined;
  socket.on("data", (data: Buffer) => {
    pending -= data.length;
    if (pending <= 0) wake?.();
  });
  for (let i = 0; i < count; i += 1) {
    const arrived = new Promise<void>((resolve) => {
      wake = resolve;
    });
    pending = MESSAGE_BYTES;
    const started = performance.now();
    socket.write(message);
    await arrived;
    rtts.push(performance.now() - started);
  }
  socket.destroy();
  return rtts;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

async function startServer(
  onConnection: (socket: net.Socket) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `scripts/proxy.ts` on a free port; resolves once it printed its URL. */
async function startProxyProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot(), "scripts", "proxy.ts")],
    {
      env: { ...process.env, PROXY_HOST: "127.0.0.1", PROXY_PORT: String(port) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (data: Buffer) => {
      output += data.toString();
      if (output.includes("\n")) resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`the proxy process exited (code ${code}) before it was ready`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The reference: the smallest Node TCP proxy, one per upstream, in a child process. */
async function startPipeProxy(
  sinkPort: number,
  echoPort: number,
): Promise<{ sinkPort: number; echoPort: number; stop(): Promise<void> }> {
  const [sinkProxyPort, echoProxyPort] = [await freePort(), await freePort()];
  const source = `
    const net = require("node:net");
    const forward = (listen, upstream, ready) => net
      .createServer((client) => {
        const server = net.connect({ port: upstream, host: "127.0.0.1", noDelay: true });
        client.setNoDelay(true);
        client.pipe(server).pipe(client);
        client.on("error", () => server.destroy());
        server.on("error", () => client.destroy());
      })
      .listen(listen, "127.0.0.1", ready);
    forward(${sinkProxyPort}, ${sinkPort}, () => forward(${echoProxyPort}, ${echoPort}, () => console.log("ready")));`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", () => reject(new Error("the reference proxy exited before it was ready")));
  });
  return {
    sinkPort: sinkProxyPort,
    echoPort: echoProxyPort,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function formatUs(ms: number): string {
  return `${(ms * 1000).toFixed(0).padStart(4)} µs`;
}
