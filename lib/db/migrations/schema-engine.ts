// Owns Prisma's schema engine, the WebAssembly build from @prisma/schema-engine-wasm: loading it
// without any download, opening one engine per command over our PostgreSQL adapter factory, and
// turning its failures (Rust backtraces, registry ids, panics) into errors a person can read.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type ErrorRegistry } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { z } from "zod";
import { describeError } from "../../../kernel/errors";
import { MigrationError } from "./errors";
import { MigrationAdapterFactory, type MigrationAdapterOptions } from "./migration-adapter";

export type { SchemaEngine };

/** The module name the wasm binary imports its JavaScript glue under. */
const GLUE_MODULE = "./schema_engine_bg.js";

interface PanicRegistry {
  set_message(message: string): void;
}

declare global {
  // The engine reports Rust panics here just before it traps (see the glue's __wbg_set_message).
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

let lastPanicMessage: string | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;
let instantiated: Promise<void> | undefined;

/**
 * Node 20 cannot import the package entry (it imports the .wasm file as an ES module), so the
 * binary is instantiated here with the package's own glue as its import object. Compiled once
 * per process; instantiated again only after a panic left the previous instance unusable.
 */
function loadEngineModule(): Promise<void> {
  instantiated ??= (async () => {
    compiled ??= readFile(wasmPath()).then((bytes) => WebAssembly.compile(bytes));
    const module = await compiled;
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        lastPanicMessage = message;
      },
    };
    const instance = await WebAssembly.instantiate(module, { [GLUE_MODULE]: engineImports() });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start !== "function") throw new Error("schema_engine_bg.wasm exports no __wbindgen_start");
    start();
  })();
  instantiated.catch(() => {
    instantiated = undefined;
  });
  return instantiated;
}

function wasmPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(
    path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
    "schema_engine_bg.wasm",
  );
}

/**
 * The glue, except that the engine's timers are unref'd: it leaves 10 s timers behind after a
 * command, which would otherwise hold every CLI run open for 10 s after its work is done.
 */
function engineImports(): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (!name.startsWith("__wbg_setTimeout_") || typeof value !== "function") continue;
    const setTimer = value as (callback: unknown, delayMs: number) => unknown;
    imports[name] = (callback: unknown, delayMs: number) => {
      const timer = setTimer(callback, delayMs);
      const unref = (timer as { unref?: unknown } | null)?.unref;
      if (typeof unref === "function") unref.call(timer);
      return timer;
    };
  }
  return imports;
}

export interface EngineSession {
  engine: SchemaEngine;
}

export interface OpenEngineOptions extends MigrationAdapterOptions {
  /** schema.prisma files; only commands that read the schema need them. */
  schemaFiles?: { path: string; content: string }[];
  /** Receives the engine's log messages ("Applying `20261129140307_init`"…). */
  onLog?: (message: string) => void;
}

/** A failure reported by the engine itself, cleaned of its Rust backtrace. */
export class SchemaEngineError extends Error {
  override readonly name = "SchemaEngineError";

  constructor(
    message: string,
    readonly details: {
      /** The migration being applied (or replayed into the shadow database) when it failed. */
      migrationName?: string;
      /** True when the engine rejected schema.prisma itself. */
      invalidSchema?: boolean;
    },
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Runs `work` with a fresh engine connected to `databaseUrl`, then frees the engine and closes
 * every connection and temporary shadow database it opened, whatever happened.
 */
export async function withSchemaEngine<T>(
  options: OpenEngineOptions,
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  await loadEngineModule();
  const factory = new MigrationAdapterFactory(options);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const datamodels = options.schemaFiles?.map((file): [string, string] => [file.path, file.content]);
  const onLogLine = (line: string) => {
    const message = logMessage(line);
    if (message !== undefined) options.onLog?.(message);
  };
  let engine: SchemaEngine | undefined;
  lastPanicMessage = undefined;
  try {
    engine = await glue.SchemaEngine.new({ datamodels }, onLogLine, bound);
    return await work({ engine });
  } catch (error) {
    throw translateEngineError(error, bound.errorRegistry);
  } finally {
    engine?.free();
    await factory.close();
  }
}

const EngineLogLine = z.looseObject({ fields: z.looseObject({ message: z.string() }) });

function logMessage(line: string): string | undefined {
  try {
    const parsed = EngineLogLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data.fields.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Engine calls reject with an Error carrying the engine's message and a Rust backtrace. Errors
 * our own adapter threw come back only as "External error id#N": the original is in the registry.
 * A panic traps the wasm instance instead: report its message and instantiate afresh next time.
 */
function translateEngineError(error: unknown, registry: ErrorRegistry): unknown {
  if (error instanceof MigrationError) return error;
  if (error instanceof WebAssembly.RuntimeError) {
    instantiated = undefined;
    const reason = lastPanicMessage ?? error.message;
    return new MigrationError("engine_error", `Prisma's schema engine crashed: ${reason}.`, { cause: error });
  }
  if (!(error instanceof Error)) return error;
  const external = /External error id#(\d+)/.exec(error.message);
  const original = external ? registry.consumeError(Number(external[1]))?.error : undefined;
  if (original instanceof MigrationError) return original;
  if (original !== undefined) return new SchemaEngineError(describeError(original), {}, { cause: original });
  const validation = schemaValidationMessage(error.message);
  if (validation) return new SchemaEngineError(validation, { invalidSchema: true }, { cause: error });
  const migrationName =
    /with migration_name="([^"]+)"/.exec(error.message)?.[1] ??
    /^Migration `([^`]+)` failed to apply cleanly to the shadow database/.exec(error.message)?.[1];
  return new SchemaEngineError(cleanEngineMessage(error.message), { migrationName }, { cause: error });
}

/**
 * schema.prisma errors come as compiler-style blocks ("error: …", "  -->  file:line", source
 * excerpt): keep each error and its location, drop the excerpt.
 */
function schemaValidationMessage(message: string): string | undefined {
  const lines = message.split("\n");
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const problem = /^error: (.+)$/.exec(line.trim())?.[1];
    if (!problem) return;
    const location = /^-->\s+(.+)$/.exec(lines[index + 1]?.trim() ?? "")?.[1];
    problems.push(location ? `${problem.replace(/\.$/, "")} (${location})` : problem);
  });
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** The engine's message without its backtrace and its "external connector error" preamble. */
export function cleanEngineMessage(message: string): string {
  const lines: string[] = [];
  for (const line of message.split("\n")) {
    if (/^\s+\d+: /.test(line)) break;
    if (line.trim() === "external connector error" || line.trim() === "") continue;
    lines.push(line.trim());
  }
  return lines.join(" ").replaceAll("Error querying the database: ", "");
}
