// Reads an experiment spec from a .yaml, .yml or .json file (or its text): syntax errors and
// validation errors alike come back as one `invalid_spec` error located at `file:line:column`.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Document, isMap, isNode, isSeq, parseDocument } from "yaml";
import { AppError, describeError } from "../../kernel/errors";
import { type ExperimentSpec, invalidSpecError, type SpecIssue, safeParseExperimentSpec } from "./spec";

export type SpecFormat = "yaml" | "json";

const FORMATS: Readonly<Record<string, SpecFormat>> = { ".yaml": "yaml", ".yml": "yaml", ".json": "json" };

export async function loadSpecFile(file: string): Promise<ExperimentSpec> {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (!format) {
    throw new AppError("invalid_spec", `${file}: a spec file must end in .yaml, .yml or .json.`, 400);
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("spec_not_found", `No spec file at ${file}.`, 404);
    }
    throw new AppError("spec_unreadable", `Cannot read ${file}: ${describeError(error)}.`, 400);
  }
  return parseSpecText(text, format, file);
}

/** Parses and validates spec text; `source` names it in messages (a file path, "request body"). */
export function parseSpecText(text: string, format: SpecFormat, source = `spec.${format}`): ExperimentSpec {
  // Positions come from the YAML parse for both formats: JSON is YAML's flow syntax.
  const document = parseDocument(text, { prettyErrors: false, merge: true });
  const input = format === "json" ? readJson(text, document, source) : readYaml(text, document, source);
  if (input === null || input === undefined) {
    throw invalidSpecError([issueAt(text, 0, "the spec is empty")], source);
  }
  const parsed = safeParseExperimentSpec(input);
  if (parsed.success) return parsed.spec;
  const located = parsed.issues.map((issue) => ({
    ...issue,
    ...lineColumn(text, offsetOf(document, issue.segments)),
  }));
  throw invalidSpecError(located, source);
}

function readYaml(text: string, document: Document, source: string): unknown {
  const syntax = document.errors[0];
  if (syntax) throw invalidSpecError([issueAt(text, syntax.pos[0], `YAML: ${syntax.message}`)], source);
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw invalidSpecError([issueAt(text, 0, `YAML: ${describeError(error)}`)], source);
  }
}

function readJson(text: string, document: Document, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 gives "… in JSON at position 18", or for an unexpected token no position at all: then the
    // YAML parser's (JSON is YAML's flow syntax) usually names the same spot.
    const raw = describeError(error);
    const position = /at position (\d+)/.exec(raw)?.[1];
    const offset = position === undefined ? document.errors[0]?.pos[0] : Number(position);
    const message = raw
      .replace(/ in JSON at position.*$/s, "")
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "")
      .replace(/\n/g, "\\n");
    throw invalidSpecError([issueAt(text, offset, `JSON: ${message}`)], source);
  }
}

function issueAt(text: string, offset: number | undefined, message: string): SpecIssue {
  const issue = { path: "", message, segments: [] };
  return offset === undefined ? issue : { ...issue, ...lineColumn(text, offset) };
}

/** Where a field is: the key of the last mapping on the path that exists, or the list item. */
function offsetOf(document: Document, segments: readonly (string | number)[]): number {
  let node: unknown = document.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isNode(item.key) && String(item.key.toJSON()) === String(segment),
      );
      if (!pair) break;
      if (isNode(pair.key)) offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (!isNode(node)) break;
      offset = node.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: before.length - lineStart + 1 };
}
