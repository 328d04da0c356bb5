// The web process: one HTTP server in front of Next.js. Data-plane requests (inference) are
// answered directly by lib/server/data-plane.ts; everything else (dashboard, control API) goes
// to Next.js's request handler.
import http from "node:http";
import next from "next";
import { describeError } from "../../kernel/errors";
import { CLIENT_ADDRESS_HEADER } from "../auth/session";
import { getChaosRuntime } from "../chaos/runtime";
import { errorResponse } from "../http";
import { getModelServer } from "../inference/runtime";
import { type DataPlaneHandler, matchDataPlane } from "./data-plane";
import { toWebRequest, writeWebResponse } from "./node-adapter";

export interface WebProcessOptions {
  dir: string;
  host: string;
  port: number;
  dev: boolean;
}

export interface WebProcess {
  url: string;
  close(): Promise<void>;
}

export async function startWebProcess(options: WebProcessOptions): Promise<WebProcess> {
  const app = next({ dev: options.dev, dir: options.dir, hostname: options.host, port: options.port });
  // Warm sessions and restore fault leases before the first request, as instrumentation.ts does
  // under plain `next start` (the custom server does not wait for it).
  const [, , chaos] = await Promise.all([app.prepare(), getModelServer(), getChaosRuntime()]);
  const handleNext = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?", 1)[0] as string;
    const handler = matchDataPlane(req.method ?? "GET", pathname);
    if (handler) void serveDataPlane(handler, req, res);
    else {
      // The peer address as the server saw it, for per-client limits (sign-in); a client cannot
      // set this header itself because it is overwritten here.
      req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
      void handleNext(req, res);
    }
  });
  if (options.dev) server.on("upgrade", app.getUpgradeHandler());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: `http://${options.host}:${options.port}`,
    close: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([app.close(), chaos.close()]);
    },
  };
}

async function serveDataPlane(
  handler: DataPlaneHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  try {
    await writeWebResponse(res, await handler(toWebRequest(req, res)));
  } catch (error) {
    // Handlers map their own errors; this is the last line for bugs in the adapter itself.
    if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
    else await writeWebResponse(res, errorResponse(error)).catch(() => res.destroy());
    console.error(`Data-plane request ${req.method} ${req.url} failed: ${describeError(error)}`);
  }
}
