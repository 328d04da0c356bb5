// Import cycles in the hand-written code: lists every module under the source folders, reads its
// imports with the TypeScript compiler's pre-processor (no type check, so it takes a second),
// resolves relative and `@/` specifiers to files, and reports each tangle as one cycle
// `a.ts → b.ts → a.ts`. Run directly (`node --import tsx scripts/lib/import-cycles.ts [root]`) it
// prints the cycles and exits 1 on any; `npm test` runs it right after lint.
//
// Type-only imports count too: a type that two modules need from each other is a split that
// happened by accident just the same, and it is what turns into a runtime cycle on the next edit.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

/** Folders holding hand-written code, relative to the project root. */
export const SOURCE_DIRS = ["app", "components", "kernel", "lib", "chaos", "tooling", "testing", "scripts"];
/** Never walked: generated code and installed packages. */
const SKIPPED = ["lib/generated"];
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs"];

/** Source files under `dirs` (relative to `root`, `/`-separated, sorted). */
export function listSourceFiles(root: string, dirs: readonly string[] = SOURCE_DIRS): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(root, relative))) {
      const child = relative ? `${relative}/${name}` : name;
      if (name === "node_modules" || name.startsWith(".") || SKIPPED.includes(child)) continue;
      const stat = statSync(path.join(root, child));
      if (stat.isDirectory()) walk(child);
      else if (EXTENSIONS.includes(path.extname(name)) && !name.endsWith(".d.ts")) files.push(child);
    }
  };
  for (const dir of dirs) if (existsSync(path.join(root, dir))) walk(dir);
  return files.sort();
}

/** The file a specifier names, among `known` (relative paths); null for packages and anything else. */
export function resolveSpecifier(specifier: string, from: string, known: ReadonlySet<string>): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith("./") || specifier.startsWith("../"))
    base = path.posix.join(path.posix.dirname(from), specifier);
  else return null;
  base = path.posix.normalize(base);
  const extension = path.posix.extname(base);
  // ESM style `./x.js` names `x.ts`.
  const stem = [".js", ".mjs", ".cjs"].includes(extension) ? base.slice(0, -extension.length) : null;
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => `${base}/index${ext}`),
    ...(stem ? [".ts", ".tsx", ".mts", ".cts"].map((ext) => stem + ext) : []),
  ];
  return candidates.find((candidate) => known.has(candidate)) ?? null;
}

/** Each file → the project files it imports (static, dynamic, `export … from`, `require`). */
export function buildImportGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      const target = resolveSpecifier(fileName, file, known);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** One tangle of files that import each other, shown by one of its cycles. */
export interface ImportCycle {
  /** A path that ends where it starts: `["a.ts", "b.ts", "a.ts"]`. */
  cycle: string[];
  /** Every file of the tangle (its strongly connected component): more than `cycle` when cycles share. */
  files: string[];
}

/**
 * One cycle per strongly connected component (Tarjan): the shortest cycle through the
 * component's first file. Sorted, so the output is stable.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): ImportCycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  // Iterative, so a long import chain cannot overflow the call stack.
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components
    .map((files) => ({ cycle: shortestCycle(graph, files), files }))
    .sort((a, b) => (a.files[0] as string).localeCompare(b.files[0] as string));
}

/** Breadth-first from the component's first file back to itself, staying inside the component. */
function shortestCycle(
  graph: ReadonlyMap<string, readonly string[]>,
  component: readonly string[],
): string[] {
  const inside = new Set(component);
  const start = component[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of graph.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) {
        const between: string[] = [];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at))
          between.unshift(at);
        return [start, ...between, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** `a.ts → b.ts → a.ts`, plus how many files the tangle holds when the cycle shows only some. */
export function formatCycle({ cycle, files }: ImportCycle): string {
  const line = cycle.join(" → ");
  return files.length > cycle.length - 1 ? `${line}  (one cycle of a tangle of ${files.length} files)` : line;
}

/** The import cycles among the hand-written files under `root`. */
export function importCycles(root: string, dirs: readonly string[] = SOURCE_DIRS): ImportCycle[] {
  return findCycles(buildImportGraph(root, listSourceFiles(root, dirs)));
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? ".");
  const files = listSourceFiles(root);
  const cycles = findCycles(buildImportGraph(root, files));
  if (cycles.length === 0) {
    console.log(`No import cycles among ${files.length} files.`);
    return;
  }
  console.error(`✖ ${cycles.length} import cycle(s):`);
  for (const cycle of cycles) console.error(`  ${formatCycle(cycle)}`);
  console.error("Move what both sides need into a module of its own (types, shared text), or merge the two.");
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
