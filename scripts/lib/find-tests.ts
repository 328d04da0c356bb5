// Node 20's test runner takes file paths, not globs: list the test files ourselves.
import { readdir } from "node:fs/promises";
import path from "node:path";

const SOURCE_DIRS = ["kernel", "lib", "chaos", "tooling", "testing", "scripts", "components", "app"];

export async function findTestFiles(root: string, kind: "unit" | "int"): Promise<string[]> {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true }).catch(
      () => [],
    );
    for (const entry of entries) {
      if (
        !entry.isFile() ||
        entry.parentPath.includes("node_modules") ||
        entry.parentPath.includes("generated")
      )
        continue;
      const isInt = /\.int\.test\.tsx?$/.test(entry.name);
      const isUnit = !isInt && /\.test\.tsx?$/.test(entry.name);
      if ((kind === "int" && isInt) || (kind === "unit" && isUnit)) {
        files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.sort();
}
