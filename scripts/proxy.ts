// `npm run proxy`: the embedded Toxiproxy-compatible server on PROXY_HOST:PROXY_PORT. Prints its
// URL on one line, stops cleanly on SIGINT/SIGTERM, and stops when its parent (the launcher) dies.
import { startProxyServer } from "../chaos/proxy/server";
import { describeError } from "../kernel/errors";
import { EnvError, env } from "../lib/env";
import { onShutdown, stopWhenOrphaned } from "./lib/supervisor";

const REASONS: Record<string, (where: string) => string> = {
  EADDRINUSE: (where) =>
    `${where} is already in use: stop whatever holds it (perhaps another proxy or a real Toxiproxy), or set PROXY_PORT to a free port.`,
  EACCES: (where) => `Not allowed to listen on ${where}: choose a PROXY_PORT above 1023.`,
  EADDRNOTAVAIL: (where) => `${where} is not an address of this machine: check PROXY_HOST.`,
};

async function main(): Promise<void> {
  // First thing: the parent pid must be read while the parent is still there.
  stopWhenOrphaned();
  const settings = env();
  const where = `${settings.PROXY_HOST}:${settings.PROXY_PORT}`;
  let server: Awaited<ReturnType<typeof startProxyServer>>;
  try {
    server = await startProxyServer({ host: settings.PROXY_HOST, port: settings.PROXY_PORT });
  } catch (error) {
    const explain = REASONS[(error as NodeJS.ErrnoException).code ?? ""];
    console.error(
      `✖ ${explain ? explain(where) : `The proxy could not listen on ${where}: ${describeError(error)}`}`,
    );
    process.exit(1);
  }
  onShutdown(() => server.close());
  console.log(`▸ Toxiproxy-compatible proxy API at ${server.url}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? `✖ ${error.message}` : error);
  process.exit(1);
});
