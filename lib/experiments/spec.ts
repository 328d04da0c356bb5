// The experiment spec: what a drill runs (targets, dataset, load, phases and their faults) and what
// it must show (hypothesis, stop conditions). Owns the zod schemas, the error sentences that point
// at the offending field, the canonical hash that versions a spec, and the phase timeline.
import { createHash } from "node:crypto";
import { z } from "zod";
import { FAULT_TYPES, FaultParams, type FaultType, isRequestFault } from "../../chaos/faults";
import { CorruptInputFault } from "../../chaos/faults/corrupt-input";
import { AppError } from "../../kernel/errors";
import { DatasetManifest } from "../datasets/manifest";
import {
  EVERY,
  formatBound,
  formatSelector,
  formatThreshold,
  type SloField,
  safeParseSlo,
  safeParseThreshold,
} from "../metrics/thresholds";

const MAX_RATE = 100_000;
const MAX_DURATION_SECONDS = 7 * 24 * 3600;
/** kernel/random keeps 32 bits of a numeric seed: larger seeds would silently collide. */
const MAX_SEED = 2 ** 32 - 1;

const Name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'");
const NameOrEvery = z.string().min(1).default(EVERY);

const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not a valid HTTP header name");
const HeaderValue = z.string().regex(/^[^\r\n]*$/, "must be one line");

export const Target = z
  .strictObject({
    name: Name,
    /** A registered model's name, or for a `url` target the model name sent in the request body. */
    model: z.string().trim().min(1).max(200),
    role: z.enum(["candidate", "baseline"]),
    /** An OpenAI-compatible chat-completions endpoint; absent for Faultline's own models. */
    url: z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL of a chat-completions endpoint" })
      .optional(),
    headers: z.record(HeaderName, HeaderValue).optional(),
  })
  .superRefine((target, ctx) => {
    if (target.headers && !target.url) {
      ctx.addIssue({
        code: "custom",
        path: ["headers"],
        message: "apply to url targets only (add url or drop them)",
      });
    }
  });
export type Target = z.infer<typeof Target>;

const CorruptionShare = z.strictObject({
  corruption: CorruptInputFault.shape.corruption,
  severity: CorruptInputFault.shape.severity,
  /** Share of items corrupted this way, (0, 1]; entries without one split what the others leave. */
  weight: z.number().gt(0).max(1).optional(),
});

/** Sums of shares that went through division (1/3 + 1/3 + 1/3) may exceed 1 by a rounding error. */
const SHARE_EPSILON = 1e-9;

export const DatasetSpec = z
  .strictObject({
    name: DatasetManifest.shape.name,
    /** Use at most this many items. */
    limit: z.number().int().min(1).optional(),
    corruptions: z.array(CorruptionShare).max(100).default([]),
  })
  .transform((dataset, ctx) => {
    let valid = true;
    const problem = (path: (string | number)[], message: string) => {
      valid = false;
      ctx.addIssue({ code: "custom", path: ["corruptions", ...path], message });
    };
    const seen = new Map<string, number>();
    dataset.corruptions.forEach((entry, index) => {
      const key = `${entry.corruption}@${entry.severity}`;
      const first = seen.get(key);
      if (first !== undefined) problem([index], `repeats corruptions[${first}]`);
      seen.set(key, index);
    });
    const { given, unweighted, share } = splitShares(dataset.corruptions);
    if (given > 1 + SHARE_EPSILON) problem([], `weights sum to ${Number(given.toFixed(6))}; at most 1`);
    else if (unweighted > 0 && given >= 1 - SHARE_EPSILON) {
      problem([], "the weights given already sum to 1, leaving nothing for the entries without one");
    }
    if (!valid) return z.NEVER;
    return {
      ...dataset,
      corruptions: dataset.corruptions.map((entry) => ({ ...entry, weight: entry.weight ?? share })),
    };
  });
export type DatasetSpec = z.infer<typeof DatasetSpec>;

/** The weights given, how many entries have none, and the equal share of the rest each of those gets. */
function splitShares(corruptions: readonly { weight?: number | undefined }[]) {
  const given = corruptions.reduce((sum, entry) => sum + (entry.weight ?? 0), 0);
  const unweighted = corruptions.filter((entry) => entry.weight === undefined).length;
  return { given, unweighted, share: unweighted > 0 ? (1 - given) / unweighted : 0 };
}

const LoadFields = z.strictObject({
  arrival: z.enum(["constant", "ramp", "poisson"]),
  /** Requests per second sent to each target (the starting rate of a ramp). */
  rate: z.number().gt(0).max(MAX_RATE),
  /** ramp only: the rate at the end of the run, reached linearly from `rate`. */
  rampTo: z.number().min(0).max(MAX_RATE).optional(),
  /** Run length; derived from the phases when absent, and must match them when both are given. */
  durationSeconds: z.number().int().min(1).max(MAX_DURATION_SECONDS).optional(),
  maxInFlight: z.number().int().min(1).max(100_000),
  timeoutMs: z.number().int().min(1).max(600_000),
  seed: z.number().int().min(0).max(MAX_SEED),
});

/** Keys of a fault lease that the runner owns: a spec that set them would fight the runner. */
const RUNNER_KEYS = ["ttlSeconds", "scope", "seed"] as const;

const FaultTargeting = z.strictObject({
  probability: z.number().min(0).max(1).default(1),
  /** Restricts an app-level fault to one built-in target (by target name); network faults use `proxy`. */
  model: Name.optional(),
});

const PROXY_REQUIRED = "is required: a network fault names the target whose traffic it acts on";

/** A fault as the chaos API takes it (FaultParams), plus `probability` and `model`. */
export type SpecFault = FaultParams & z.output<typeof FaultTargeting>;

export const SpecFault = z.unknown().transform((input, ctx): SpecFault => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    ctx.addIssue({
      code: "custom",
      message: "must be an object describing one fault, e.g. { type: latency, latencyMs: 200 }",
    });
    return z.NEVER;
  }
  const params: Record<string, unknown> = {};
  const targetingInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (Object.hasOwn(FaultTargeting.shape, key)) targetingInput[key] = value;
    else if ((RUNNER_KEYS as readonly string[]).includes(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "is set by the runner; leave it out of the spec",
      });
    } else params[key] = value;
  }
  if (!FAULT_TYPES.includes(params.type as FaultType)) {
    ctx.addIssue({ code: "custom", path: ["type"], message: `must be one of ${FAULT_TYPES.join(", ")}` });
    return z.NEVER;
  }
  const targeting = FaultTargeting.safeParse(targetingInput, { error: specErrorMap });
  const fault = FaultParams.safeParse(params, { error: specErrorMap });
  const faultIssues = (fault.error?.issues ?? []).map((issue) =>
    params.proxy === undefined && issue.path.length === 1 && issue.path[0] === "proxy"
      ? { ...issue, message: PROXY_REQUIRED }
      : issue,
  );
  forwardIssues(ctx, [...(targeting.error?.issues ?? []), ...faultIssues]);
  if (!targeting.success || !fault.success) return z.NEVER;
  if (!isRequestFault(fault.data.type) && targeting.data.probability !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["probability"],
      message: `applies to per-request faults; a ${fault.data.type} fault acts on the whole process or link`,
    });
    return z.NEVER;
  }
  return { ...fault.data, ...targeting.data };
});

/** Re-reports a nested parse's issues under the current path, codes kept (unknown keys stay listable). */
function forwardIssues(ctx: z.RefinementCtx, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
}

export const Phase = z.strictObject({
  name: Name,
  durationSeconds: z.number().int().min(1).max(MAX_DURATION_SECONDS),
  /** Whether "*" SLOs judge this phase: false for a warm-up whose numbers mean nothing. */
  counts: z.boolean().default(true),
  faults: z.array(SpecFault).max(50).default([]),
});
export type Phase = z.infer<typeof Phase>;

const SloObject = z.strictObject({
  metric: z.string({ message: 'must name a metric, e.g. "p(99)" or "success_rate"' }),
  target: z.string({ message: 'must be a comparison such as ">=0.999" or "<500"' }),
  tolerance: z.string({ message: 'must be a comparison such as ">=0.98" or "<1000"' }).optional(),
});

/**
 * One SLO, written `"p(99)<500"`, `"p(99)<500 ~ <1000"` (target ~ tolerance) or
 * `{ metric: "p(99)", target: "<500", tolerance: "<1000" }`. Always comes out in the object form,
 * canonical (`p(99) < 500` and `p(99)<500` are one SLO), which parses back to itself.
 */
export const Slo = z.unknown().transform((input, ctx): z.output<typeof SloObject> => {
  let parts: string | z.output<typeof SloObject>;
  if (typeof input === "string") parts = input;
  else if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    const parsed = SloObject.safeParse(input, { error: specErrorMap });
    forwardIssues(ctx, parsed.error?.issues ?? []);
    if (!parsed.success) return z.NEVER;
    parts = parsed.data;
  } else {
    ctx.addIssue({
      code: "custom",
      message: 'must be a threshold such as "p(99)<500" or { metric, target, tolerance? }',
    });
    return z.NEVER;
  }
  const slo = safeParseSlo(parts);
  if (!slo.ok) {
    const path: SloField[] = typeof parts === "object" && slo.field ? [slo.field] : [];
    ctx.addIssue({ code: "custom", path, message: slo.message });
    return z.NEVER;
  }
  const { selector, target, tolerance } = slo.value;
  const canonical = { metric: formatSelector(selector), target: formatBound(target) };
  return tolerance ? { ...canonical, tolerance: formatBound(tolerance) } : canonical;
});
export type Slo = z.infer<typeof Slo>;

export const HypothesisEntry = z.strictObject({
  /** A phase name, or "*": every phase that counts, each judged on its own. */
  phase: NameOrEvery,
  /** A target name, or "*": every target, each judged on its own. */
  target: NameOrEvery,
  slos: z.array(Slo).min(1).max(100),
});
export type HypothesisEntry = z.infer<typeof HypothesisEntry>;

export const StopCondition = z.strictObject({
  /** Aborts the run when this holds over the trailing window, e.g. "success_rate<0.5". */
  when: z.string().transform((text, ctx) => {
    if (text.includes("~")) {
      ctx.addIssue({
        code: "custom",
        message: "a stop condition has no tolerance: it aborts as soon as it holds",
      });
      return z.NEVER;
    }
    const threshold = safeParseThreshold(text);
    if (!threshold.ok) {
      ctx.addIssue({ code: "custom", message: threshold.message });
      return z.NEVER;
    }
    return formatThreshold(threshold.value);
  }),
  overSeconds: z.number().int().min(1).max(3600).default(5),
  target: NameOrEvery,
});
export type StopCondition = z.infer<typeof StopCondition>;

const SpecFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  version: z
    .string({ message: 'must be a string (quote it in YAML: version: "1.0")' })
    .min(1)
    .max(64)
    .optional(),
  targets: z.array(Target).min(1).max(16),
  dataset: DatasetSpec,
  load: LoadFields,
  /** Ordered; absent means one phase, "main", as long as load.durationSeconds. */
  phases: z.array(Phase).min(1).max(100).optional(),
  hypothesis: z.array(HypothesisEntry).min(1).max(100),
  stopConditions: z.array(StopCondition).max(50).default([]),
});
type SpecFields = z.output<typeof SpecFields>;

/** The phase of a spec that lists none: the whole run, counted, without faults. */
const IMPLICIT_PHASE = "main";
const implicitPhases = (durationSeconds: number): Phase[] => [
  { name: IMPLICIT_PHASE, durationSeconds, counts: true, faults: [] },
];

// Cross-field rules run in the transform: zod skips it once a field has failed, so a bad field
// does not also produce follow-on complaints (an empty phase list "lasting 0 s").
export const ExperimentSpec = SpecFields.transform((spec, ctx) => {
  if (!checkSpec(spec, ctx)) return z.NEVER;
  const phases = spec.phases ?? implicitPhases(spec.load.durationSeconds ?? 0);
  const durationSeconds = phases.reduce((sum, phase) => sum + phase.durationSeconds, 0);
  return { ...spec, load: { ...spec.load, durationSeconds }, phases };
});
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
/** The load after parsing: durationSeconds is always there (given, or the phases' sum). */
export type LoadSpec = ExperimentSpec["load"];

type Report = (path: (string | number)[], message: string) => void;

/** Rules across fields: one candidate, unique names, names that exist, timing that adds up. */
function checkSpec(spec: SpecFields, ctx: z.RefinementCtx): boolean {
  let valid = true;
  const report: Report = (path, message) => {
    valid = false;
    ctx.addIssue({ code: "custom", path, message });
  };
  const targetNames = checkTargets(spec, report);
  const phases = checkTimeline(spec, report);
  checkReferences(spec, phases, targetNames, report);
  return valid;
}

/** Unique names and exactly one candidate; returns each target name's index. */
function checkTargets(spec: SpecFields, report: Report): Map<string, number> {
  const names = firstIndexes(
    spec.targets,
    (target) => target.name,
    (index, first) => {
      report(
        ["targets", index, "name"],
        `"${spec.targets[index]?.name}" is already the name of targets[${first}]`,
      );
    },
  );
  const candidates = spec.targets.flatMap((target, index) => (target.role === "candidate" ? [index] : []));
  if (candidates.length === 0) {
    report(["targets"], "needs exactly one target with role: candidate (found none)");
  }
  for (const index of candidates.slice(1)) {
    report(["targets", index, "role"], `only one target can be the candidate (targets[${candidates[0]}] is)`);
  }
  return names;
}

/** Arrival options, run length against the phases, unique phase names; returns the phases to run. */
function checkTimeline(spec: SpecFields, report: Report): Phase[] {
  const { load } = spec;
  if (load.arrival === "ramp" && load.rampTo === undefined)
    report(["load", "rampTo"], "is required for a ramp");
  if (load.arrival !== "ramp" && load.rampTo !== undefined) {
    report(["load", "rampTo"], `applies to arrival: ramp only (arrival is ${load.arrival})`);
  }
  if (!spec.phases && load.durationSeconds === undefined) {
    report(["load", "durationSeconds"], "is required when no phases are given");
  }
  const phases = spec.phases ?? implicitPhases(load.durationSeconds ?? 0);
  const phaseSeconds = phases.reduce((sum, phase) => sum + phase.durationSeconds, 0);
  if (spec.phases && load.durationSeconds !== undefined && phaseSeconds !== load.durationSeconds) {
    report(
      ["load", "durationSeconds"],
      `is ${load.durationSeconds} but the phases last ${phaseSeconds} s in total; make them agree or leave it out`,
    );
  }
  firstIndexes(
    phases,
    (phase) => phase.name,
    (index, first) => {
      report(["phases", index, "name"], `"${phases[index]?.name}" is already the name of phases[${first}]`);
    },
  );
  if (!phases.some((phase) => phase.counts)) {
    report(["phases"], "at least one phase must count (counts: true), or no SLO is ever judged");
  }
  return phases;
}

/** Faults, SLOs and stop conditions name phases and targets that exist; the candidate can fail. */
function checkReferences(
  spec: SpecFields,
  phases: Phase[],
  targetNames: Map<string, number>,
  report: Report,
) {
  const targets = [...targetNames.keys()].join(", ");
  const checkTarget = (path: (string | number)[], name: string | undefined) => {
    if (name !== undefined && name !== EVERY && !targetNames.has(name)) {
      report(path, `"${name}" is not a target; targets are ${targets}`);
    }
  };
  phases.forEach((phase, phaseIndex) => {
    phase.faults.forEach((fault, faultIndex) => {
      const path = ["phases", phaseIndex, "faults", faultIndex];
      checkTarget([...path, "model"], fault.model);
      checkFaultReach(spec, fault, path, report);
    });
  });
  spec.hypothesis.forEach((entry, index) => {
    const phase = phases.find((candidate) => candidate.name === entry.phase);
    if (entry.phase !== EVERY && !phase) {
      const known = phases.map((candidate) => candidate.name).join(", ");
      report(["hypothesis", index, "phase"], `"${entry.phase}" is not a phase; phases are ${known}`);
    } else if (phase && !phase.counts) {
      report(
        ["hypothesis", index, "phase"],
        `"${entry.phase}" does not count (counts: false), so its SLOs are never judged`,
      );
    }
    checkTarget(["hypothesis", index, "target"], entry.target);
  });
  spec.stopConditions.forEach((condition, index) => {
    checkTarget(["stopConditions", index, "target"], condition.target);
  });
  const candidate = spec.targets.find((target) => target.role === "candidate");
  if (
    candidate &&
    !spec.hypothesis.some((entry) => entry.target === EVERY || entry.target === candidate.name)
  ) {
    report(
      ["hypothesis"],
      `no SLO applies to the candidate "${candidate.name}", so the run could never fail`,
    );
  }
}

/**
 * A fault reaches exactly the targets it names (`model`: that one; none: every target), or is
 * refused. App-level faults act inside Faultline's web process, so they never reach a URL target
 * and match requests by model; a network fault acts on the proxy of the one target in `proxy`.
 */
function checkFaultReach(spec: SpecFields, fault: SpecFault, path: (string | number)[], report: Report) {
  const named = (name: string) => spec.targets.find((target) => target.name === name);
  const builtIn = spec.targets.filter((target) => !target.url).map((target) => target.name);
  const urls = spec.targets.filter((target) => target.url).map((target) => target.name);
  if (fault.type === "network") {
    if (!named(fault.proxy)) {
      const known = spec.targets.map((target) => target.name).join(", ");
      report(
        [...path, "proxy"],
        `"${fault.proxy}" is not a target; a network fault names the target whose traffic it acts on (targets are ${known})`,
      );
    }
    if (fault.model !== undefined) {
      report([...path, "model"], "a network fault reaches the target named in proxy; leave model out");
    }
    return;
  }
  const layer = `app-level faults (${fault.type}) are applied inside Faultline`;
  const wholeProcess = !isRequestFault(fault.type);
  if (fault.model !== undefined) {
    const target = named(fault.model);
    if (!target) return; // not a target: checkReferences says so
    if (target.url) {
      report(
        [...path, "model"],
        `"${target.name}" is a URL target; ${layer} and cannot reach its traffic — use a network fault with proxy: ${target.name}`,
      );
      return;
    }
    // Process faults hit every built-in target; request faults every target serving the same model.
    const alsoReached = spec.targets.filter(
      (other) => other.name !== target.name && !other.url && (wholeProcess || other.model === target.model),
    );
    if (alsoReached.length === 0) return;
    const others = alsoReached.map((other) => other.name).join(", ");
    report(
      [...path, "model"],
      wholeProcess
        ? `a ${fault.type} fault acts on Faultline's whole process, so it would also reach ${others}; it can name a target only when that is the only built-in one${urls.length === 0 ? " (or leave model out to name every target)" : ""}`
        : `"${target.name}" serves ${target.model}, as ${others} does; faults match requests by model, so this one would also reach ${others}`,
    );
    return;
  }
  if (urls.length === 0) return;
  const unreachable = `${urls.length === 1 ? "the URL target" : "the URL targets"} ${urls.join(", ")}`;
  const network = `use a network fault with proxy: ${urls[0]}`;
  if (builtIn.length === 0) {
    report(
      path,
      `has no model, so it names every target, but ${layer} and cannot reach ${unreachable}; ${network}`,
    );
    return;
  }
  const suggestion =
    wholeProcess && builtIn.length > 1
      ? `a ${fault.type} fault cannot be narrowed to one of several built-in targets: move ${unreachable} to a drill of its own or ${network}`
      : `name a built-in target in model (e.g. model: ${builtIn[0]}) or ${network}`;
  report(
    path,
    `has no model, so it names every target, but ${layer} and reach only the built-in ones (${builtIn.join(", ")}), not ${unreachable}; ${suggestion}`,
  );
}

/** Each name → the index where it first appears; `onRepeat` hears about every later one. */
function firstIndexes<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  onRepeat: (index: number, first: number) => void,
): Map<string, number> {
  const firsts = new Map<string, number>();
  items.forEach((item, index) => {
    const first = firsts.get(nameOf(item));
    if (first === undefined) firsts.set(nameOf(item), index);
    else onRepeat(index, first);
  });
  return firsts;
}

// ---- Errors that point at fields ----

export interface SpecIssue {
  /** `phases[2].faults[0].latencyMs`; "" for the spec as a whole. */
  path: string;
  message: string;
  /** The raw path, for tools that locate it in a source file. */
  segments: (string | number)[];
  /** 1-based position in the source file, when the spec came from one. */
  line?: number;
  column?: number;
}

export type SafeSpecResult =
  | { success: true; spec: ExperimentSpec }
  | { success: false; issues: SpecIssue[] };

export function safeParseExperimentSpec(input: unknown): SafeSpecResult {
  const parsed = ExperimentSpec.safeParse(input, { error: specErrorMap });
  return parsed.success
    ? { success: true, spec: parsed.data }
    : { success: false, issues: toSpecIssues(parsed.error) };
}

/** Validates a spec (from a file, a request body or a row); throws a 400 `invalid_spec` naming the first bad field. */
export function parseExperimentSpec(input: unknown): ExperimentSpec {
  const parsed = safeParseExperimentSpec(input);
  if (parsed.success) return parsed.spec;
  throw invalidSpecError(parsed.issues);
}

/** The `invalid_spec` error; with `source`, each issue's text starts with `source:line:column:`. */
export function invalidSpecError(issues: readonly SpecIssue[], source?: string): AppError {
  const sentence = (issue: SpecIssue) => {
    const where = issue.line === undefined ? "" : `:${issue.line}:${issue.column ?? 1}`;
    const field = issue.path ? `${issue.path}: ` : "";
    return `${source ? `${source}${where}: ` : ""}${field}${issue.message}`;
  };
  const first = issues[0] ? sentence(issues[0]) : "the spec is not valid";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new AppError("invalid_spec", `Invalid experiment spec: ${first}${more}.`, 400, {
    issues: issues.map(({ segments: _segments, ...issue }) => issue),
  });
}

function toSpecIssues(error: z.ZodError): SpecIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.filter((segment) => typeof segment !== "symbol") as (string | number)[];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => specIssue([...base, key], "is not a known field"));
    }
    return [specIssue(base, withoutLeadingField(base, issue.message))];
  });
}

function specIssue(segments: (string | number)[], message: string): SpecIssue {
  return { path: formatPath(segments), message, segments };
}

/** Fault schemas say "latencyMs must be 0 or more"; after the path that would say the name twice. */
function withoutLeadingField(segments: readonly (string | number)[], message: string): string {
  const leaf = segments.at(-1);
  return typeof leaf === "string" && message.startsWith(`${leaf} `)
    ? message.slice(leaf.length + 1)
    : message;
}

function formatPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(segment)) return text ? `${text}.${segment}` : segment;
    return `${text}[${JSON.stringify(segment)}]`;
  }, "");
}

/** zod's defaults ("Too small: expected number to be >=0") rewritten as the end of a sentence. */
const specErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    return "is required";
  }
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${describeInput(issue.input)})`;
    case "too_small":
      return sizeMessage(issue.origin, issue.minimum, issue.inclusive, "more", "at least");
    case "too_big":
      return sizeMessage(issue.origin, issue.maximum, issue.inclusive, "less", "at most");
    case "invalid_value":
      return `must be one of ${issue.values.map((value) => String(value)).join(", ")}`;
    case "invalid_format":
      return issue.format === "url" ? "must be a URL" : undefined;
    case "invalid_key":
      return issue.issues[0]?.message ?? "is not an allowed key";
    default:
      return undefined;
  }
};

const TYPE_NAMES: Record<string, string> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  record: "an object",
};

function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "number" && !Number.isInteger(input)) return String(input);
  return typeof input === "object" ? "an object" : typeof input === "string" ? "a string" : String(input);
}

function sizeMessage(
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  direction: "more" | "less",
  bound: "at least" | "at most",
): string {
  if (origin === "number" || origin === "int") {
    return inclusive ? `must be ${limit} or ${direction}` : `must be ${direction} than ${limit}`;
  }
  if (origin === "array" || origin === "set") {
    return limit === 1 && bound === "at least" ? "must not be empty" : `must have ${bound} ${limit} items`;
  }
  if (origin === "string") {
    return limit === 1 && bound === "at least" ? "must not be empty" : `must be ${bound} ${limit} characters`;
  }
  return `must be ${bound} ${limit}`;
}

// ---- Versioning and timeline ----

/** sha256 (hex) of the parsed spec as canonical JSON: key order, layout, comments and defaults written out or not leave it unchanged. */
export function specSha256(spec: ExperimentSpec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

export const runLengthSeconds = (spec: ExperimentSpec) =>
  spec.phases.reduce((sum, phase) => sum + phase.durationSeconds, 0);

export interface PhaseSpan {
  index: number;
  phase: Phase;
  /** Seconds from the start of the run; the span is [startSecond, endSecond). */
  startSecond: number;
  endSecond: number;
}

export function phaseSpans(spec: ExperimentSpec): PhaseSpan[] {
  let startSecond = 0;
  return spec.phases.map((phase, index) => {
    const span = { index, phase, startSecond, endSecond: startSecond + phase.durationSeconds };
    startSecond = span.endSecond;
    return span;
  });
}

/** The phase running `second` seconds (fractional allowed) into the run; undefined outside it. */
export function phaseAt(spec: ExperimentSpec, second: number): PhaseSpan | undefined {
  return phaseSpans(spec).find((span) => second >= span.startSecond && second < span.endSecond);
}

export function candidateOf(spec: ExperimentSpec): Target {
  const candidate = spec.targets.find((target) => target.role === "candidate");
  if (!candidate) throw new AppError("invalid_spec", "The spec has no candidate target.", 400);
  return candidate;
}
