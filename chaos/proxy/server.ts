// Starts the embedded Toxiproxy-compatible server: the HTTP API plus every proxy it creates, and
// closes all of it (API, listeners, live connections) on close().
import { randomInt } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { createRandom } from "../../kernel/random";
import { createApiHandler } from "./api";
import { ProxyMetrics } from "./metrics";
import { ProxyRegistry } from "./registry";
import type { RandomSource } from "./types";

export interface ProxyServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Toxicity draws, jitter and slicing; seed it to replay a run. Default: a fresh random seed. */
  random?: RandomSource;
  /** Serve /metrics, like the real server's -proxy-metrics flag. */
  metrics?: boolean;
}

export interface ProxyServer {
  /** The API root, e.g. http://127.0.0.1:8474. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Rejects with the listen error (e.g. code EADDRINUSE) when the API port cannot be bound. */
export async function startProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const random = options.random ?? createRandom(randomInt(2 ** 32));
  const metrics = options.metrics ? new ProxyMetrics() : undefined;
  const registry = new ProxyRegistry({ random, metrics });
  const server = http.createServer(createApiHandler(registry, { metrics }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await registry.exclusive(() => registry.closeAll());
        await closed;
      })();
      return closing;
    },
  };
}

/** A host usable in a URL: wildcard binds are reached through loopback, IPv6 goes in brackets. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return net.isIPv6(host) ? `[${host}]` : host;
}
