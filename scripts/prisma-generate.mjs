// Runs `prisma generate` offline (postinstall and `npm run db:generate`).
// Generate never executes the native schema engine, but the CLI insists that the file exists and
// would otherwise download it; pointing it at node's own binary satisfies the check offline.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(cli) || !existsSync(join(root, "prisma", "schema.prisma"))) {
  console.log("prisma generate: skipped (prisma CLI or schema not present yet)");
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
