// The web process the launcher starts: `node --import tsx scripts/serve.ts --port P --host H [--dev]`.
// Next.js behind Faultline's own HTTP server (lib/server/web-process.ts). Stops on SIGTERM/SIGINT
// and when its parent goes away.
import { parseArgs } from "node:util";
import { describeError } from "../kernel/errors";
import { projectRoot } from "../lib/env";
import { startWebProcess } from "../lib/server/web-process";
import { stopWhenOrphaned } from "./lib/supervisor";

const { values } = parseArgs({
  options: { port: { type: "string" }, host: { type: "string" }, dev: { type: "boolean", default: false } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !values.host) {
  console.error("Usage: node --import tsx scripts/serve.ts --port <port> --host <host> [--dev]");
  process.exit(2);
}

try {
  const web = await startWebProcess({ dir: projectRoot(), host: values.host, port, dev: values.dev });
  console.log(`▸ Web server listening on ${web.url}`);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    web.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  stopWhenOrphaned();
} catch (error) {
  console.error(`✖ The web server failed to start: ${describeError(error)}`);
  process.exit(1);
}
