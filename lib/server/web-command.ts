// How to start the web process (scripts/serve.ts): shared by the launcher, the tests and the
// Playwright config so all three run the server users get.
import path from "node:path";

export function webProcessArgs(
  root: string,
  options: { port: number; host: string; dev?: boolean },
): string[] {
  return [
    "--import",
    "tsx",
    path.join(root, "scripts", "serve.ts"),
    "--port",
    String(options.port),
    "--host",
    options.host,
    ...(options.dev ? ["--dev"] : []),
  ];
}
