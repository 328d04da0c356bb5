// The only reader of process.env. Every setting Faultline understands is declared, defaulted and
// validated here once; the rest of the code receives typed values. README "Configuration" lists
// the same variables.
import path from "node:path";
import { z } from "zod";

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
    message: "must be a PostgreSQL URL such as postgresql://user:password@host:5432/database",
  });

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

// Blank values count as unset: `DATABASE_URL= npm start` must behave like no DATABASE_URL.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );

export const Env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A real PostgreSQL server. Unset: Faultline starts an embedded one in FAULTLINE_DATA_DIR. */
  DATABASE_URL: optional(postgresUrl),
  /** Server for the integration tests. Unset: the tests start their own embedded PostgreSQL. */
  TEST_DATABASE_URL: optional(postgresUrl),
  /** Scratch database for migration diffs. Unset: a temporary database is created and dropped. */
  SHADOW_DATABASE_URL: optional(postgresUrl),
  PORT: optional(port).default(3000),
  HOST: optional(z.string().min(1)).default("127.0.0.1"),
  /** Where the embedded PostgreSQL and other local state live. */
  FAULTLINE_DATA_DIR: optional(z.string().min(1)).default(".data"),
  EMBEDDED_PG_PORT: optional(port).default(54329),
  LOG_LEVEL: optional(z.enum(["debug", "info", "warn", "error"])).default("info"),
  /** Largest inference request body accepted (bytes). */
  INFER_MAX_BODY_BYTES: optional(z.coerce.number().int().min(1024)).default(8 * 1024 * 1024),
  /** Largest decoded image accepted (pixels): guards against decompression bombs. */
  INFER_MAX_IMAGE_PIXELS: optional(z.coerce.number().int().min(1)).default(25_000_000),
  /** Longest prompt accepted (characters). */
  INFER_MAX_PROMPT_CHARS: optional(z.coerce.number().int().min(1)).default(4096),
  /** Upper bound on a per-request deadline (x-request-timeout-ms), in ms. */
  INFER_MAX_TIMEOUT_MS: optional(z.coerce.number().int().min(1)).default(60_000),
  /** Folder of model manifests (models/<name>/manifest.json). */
  FAULTLINE_MODELS_DIR: optional(z.string().min(1)).default("models"),
  /** Comma-separated model names to load; unset loads every manifest in FAULTLINE_MODELS_DIR. */
  FAULTLINE_MODELS: optional(z.string()),
  /** Host of the embedded Toxiproxy-compatible proxy's HTTP API. */
  PROXY_HOST: optional(z.string().min(1)).default("127.0.0.1"),
  /** Port of the embedded proxy's HTTP API (Toxiproxy's default). */
  PROXY_PORT: optional(port).default(8474),
  /** A real Toxiproxy server (e.g. http://127.0.0.1:8474). Unset: the embedded proxy is used. */
  TOXIPROXY_URL: optional(z.url({ message: "must be a URL such as http://127.0.0.1:8474" })),
  /** The web process workers send built-in model traffic and fault requests to. Default http://HOST:PORT. */
  FAULTLINE_WEB_URL: optional(z.url({ message: "must be a URL such as http://127.0.0.1:3000" })),
  /** "off" removes fault injection from the request path entirely (the control API then refuses faults). */
  FAULTLINE_CHAOS: optional(z.enum(["on", "off"])).default("on"),
  /** The operator token for the control API. Unset: generated at first start and stored. */
  FAULTLINE_ADMIN_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
  /** "open": anyone may call the inference API (the default); "token": it needs a viewer token or better. */
  FAULTLINE_INFERENCE_AUTH: optional(z.enum(["open", "token"])).default("open"),
  /** "token": GET /api/metrics needs a viewer token or better (the default); "off": anyone may scrape. */
  FAULTLINE_METRICS_AUTH: optional(z.enum(["token", "off"])).default("token"),
  /** Webhook called when a run fails its hypothesis, aborts or errors and its schedule names none (a secret). */
  FAULTLINE_WEBHOOK_URL: optional(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" })),
  /** Body sent to FAULTLINE_WEBHOOK_URL: "json" (generic) or "slack" (incoming-webhook text and blocks). */
  FAULTLINE_WEBHOOK_FORMAT: optional(z.enum(["json", "slack"])).default("json"),
});
export type Env = z.infer<typeof Env>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

const SECRET_VARIABLES = new Set([
  "FAULTLINE_ADMIN_TOKEN",
  "FAULTLINE_WEBHOOK_URL",
  "DATABASE_URL",
  "TEST_DATABASE_URL",
]);

/** Parses an environment (process.env by default) and explains every bad value at once. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = Env.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const given = source[name];
    // Secrets are named, never echoed: a mistyped token or webhook URL would land in logs.
    const shown = SECRET_VARIABLES.has(name) ? "a value (not shown: it is a secret)" : JSON.stringify(given);
    return `${name} ${issue.message}${given === undefined ? "" : ` (got ${shown})`}`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The validated environment of this process (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Absolute path of the data folder (relative values are taken from the project root). */
export function dataDir(settings: Env = env()): string {
  return path.resolve(/*turbopackIgnore: true*/ projectRoot(), settings.FAULTLINE_DATA_DIR);
}

/**
 * Where the launcher records the URL it serves on (`npm start` writes it, removes it on stop), so
 * that `npm run drill` finds the local instance whatever HOST and PORT it was started with.
 */
export function webUrlFile(settings: Env = env()): string {
  return path.join(dataDir(settings), "web-url");
}

/** The URL a local client reaches HOST:PORT at: a wildcard address (0.0.0.0, ::) means loopback. */
export function localWebUrl(settings: Env = env()): string {
  const host = { "0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1" }[settings.HOST] ?? settings.HOST;
  const bare = host.replace(/^\[|\]$/g, "");
  return `http://${bare.includes(":") ? `[${bare}]` : bare}:${settings.PORT}`;
}

/** Absolute path of the model manifests folder. */
export function modelsDir(settings: Env = env()): string {
  return path.resolve(/*turbopackIgnore: true*/ projectRoot(), settings.FAULTLINE_MODELS_DIR);
}

/**
 * The project root. npm scripts and the launcher always run from it, and Next.js bundles this
 * module away from its source folder, so the working directory is the one reliable anchor.
 */
export function projectRoot(): string {
  return process.cwd();
}
