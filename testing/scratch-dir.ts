import { chmod, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * A fresh folder under the system temp dir that other users may enter: as root, an embedded
 * PostgreSQL runs as `postgres` and must reach its data folder (mkdtemp makes folders 0700).
 */
export async function makeScratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  await chmod(dir, 0o755);
  return dir;
}
