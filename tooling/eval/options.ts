// What one evaluation covers, parsed once from the command line (or a caller) with zod.
import { z } from "zod";
import { CorruptionName, IMAGE_CORRUPTIONS } from "../../chaos/corruptions";
import { AppError } from "../../kernel/errors";

const NameList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  );

export const EvalOptions = z.object({
  models: z.array(z.string().min(1)).min(1, "name at least one model (--models a,b,c)"),
  dataset: z.string().min(1).default("textline-v1"),
  corruptions: z.array(CorruptionName).default([]),
  severities: z.array(z.number().int().min(1).max(5)).min(1).default([1, 2, 3, 4, 5]),
  /** Evaluate only the first N items (quick checks); all items by default. */
  limit: z.number().int().positive().optional(),
  seed: z.number().int().min(0).default(1),
  /** The model mCE is relative to; the first model by default. */
  baseline: z.string().optional(),
  json: z.string().optional(),
});
export type EvalOptions = z.infer<typeof EvalOptions>;

const CliArgs = z.object({
  models: NameList,
  dataset: z.string().optional(),
  corruptions: z.string().optional(),
  severities: NameList.optional(),
  limit: z.coerce.number().optional(),
  seed: z.coerce.number().optional(),
  baseline: z.string().optional(),
  json: z.string().optional(),
});

/** `--models a,b --dataset textline-v1 --corruptions all|none|blur,jpeg --severities 1,3,5 …` */
export function parseEvalArgs(argv: string[]): EvalOptions {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw invalid(`Unexpected argument "${arg}": options look like --name value.`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw invalid(`--${name} needs a value.`);
    raw[name] = value;
  }
  const known = new Set(Object.keys(CliArgs.shape));
  const unknown = Object.keys(raw).filter((name) => !known.has(name));
  if (unknown.length > 0) throw invalid(`Unknown option ${unknown.map((n) => `--${n}`).join(", ")}.`);
  const args = parseOrExplain(CliArgs, raw);
  const corruptions =
    args.corruptions === undefined || args.corruptions === "none"
      ? []
      : args.corruptions === "all"
        ? [...IMAGE_CORRUPTIONS]
        : args.corruptions.split(",").map((name) => name.trim());
  return parseOrExplain(EvalOptions, {
    ...args,
    corruptions,
    severities: args.severities?.map(Number),
  });
}

function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `--${issue.path.join(".") || "options"}: ${issue.message}`,
  );
  throw invalid(`Invalid options: ${problems.join("; ")}.`);
}

const invalid = (message: string) => new AppError("invalid_options", message, 400);
