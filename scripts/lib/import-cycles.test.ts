// The import-cycle check on small trees in a temp folder: a tree with a cycle (through a type-only
// import and an `@/` path) is reported as `a.ts → b.ts → a.ts`, an acyclic one passes.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { findCycles, formatCycle, importCycles, listSourceFiles, resolveSpecifier } from "./import-cycles";

const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "import-cycles-"));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

describe("importCycles", () => {
  it("reports a cycle, whatever kind of import closes it", async () => {
    const root = await tree({
      "lib/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "lib/b.ts": 'import type { C } from "@/lib/c";\nexport const b = 1;\nexport type B = C;\n',
      "lib/c.ts": 'export type { A } from "../lib/d.ts";\nexport type C = number;\n',
      "lib/d.ts": 'import { b } from "./b.js";\nexport type A = typeof b;\n',
      "lib/leaf.ts": 'import { a } from "./a";\nimport { z } from "zod";\nexport const leaf = a;\n',
    });
    const cycles = importCycles(root);
    assert.equal(cycles.length, 1);
    assert.equal(formatCycle(cycles[0]!), "lib/b.ts → lib/c.ts → lib/d.ts → lib/b.ts");
  });

  it("finds none in a tree without one, and skips generated code and packages", async () => {
    const root = await tree({
      "lib/a.ts":
        'import { b } from "./b";\nimport { gen } from "./generated/x";\nexport const a = b + gen;\n',
      "lib/b.ts": 'import { shared } from "@/kernel/shared";\nexport const b = shared;\n',
      "kernel/shared.ts": "export const shared = 1;\n",
      "lib/generated/x.ts": 'import { a } from "../a";\nexport const gen = a;\n',
      "node_modules/pkg/index.ts": 'import "../../lib/a";\n',
      "components/view.tsx": 'import { a } from "@/lib/a";\nexport const View = () => a;\n',
    });
    assert.deepEqual(listSourceFiles(root), [
      "components/view.tsx",
      "kernel/shared.ts",
      "lib/a.ts",
      "lib/b.ts",
    ]);
    assert.deepEqual(importCycles(root), []);
  });

  it("reports each tangle once, with the files it holds", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["a.ts", "c.ts"]],
      ["c.ts", ["a.ts"]],
      ["self.ts", ["self.ts"]],
      ["free.ts", ["a.ts"]],
    ]);
    const cycles = findCycles(graph);
    assert.deepEqual(
      cycles.map((cycle) => formatCycle(cycle)),
      ["a.ts → b.ts → a.ts  (one cycle of a tangle of 3 files)", "self.ts → self.ts"],
    );
  });
});

describe("resolveSpecifier", () => {
  const known = new Set(["lib/x.ts", "lib/dir/index.ts", "components/y.tsx"]);
  it("resolves relative and @/ paths, with or without an extension, and folders by index", () => {
    assert.equal(resolveSpecifier("./x", "lib/z.ts", known), "lib/x.ts");
    assert.equal(resolveSpecifier("./x.js", "lib/z.ts", known), "lib/x.ts");
    assert.equal(resolveSpecifier("../lib/dir", "app/page.tsx", known), "lib/dir/index.ts");
    assert.equal(resolveSpecifier("@/components/y", "lib/z.ts", known), "components/y.tsx");
  });
  it("ignores packages and files outside the tree", () => {
    assert.equal(resolveSpecifier("zod", "lib/z.ts", known), null);
    assert.equal(resolveSpecifier("./missing", "lib/z.ts", known), null);
    assert.equal(resolveSpecifier("./styles.module.css", "lib/z.ts", known), null);
  });
});
