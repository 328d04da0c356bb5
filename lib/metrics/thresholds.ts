// The threshold language of hypotheses and stop conditions, in k6's style: `p(99)<500`,
// `error_rate{class:timeout}<0.01`, `success_rate>=0.999 ~ >=0.98`. Owns the metric vocabulary,
// the parser and its error sentences, the canonical text of a threshold, and comparison.
import { AppError } from "../../kernel/errors";

/**
 * Failed-arrival outcomes. Disjoint: a 429 counts as rejected_429 only, never as http_4xx.
 * `overflow`: never sent (the target already had maxInFlight outstanding). `degraded`: a fallback
 * model answered (degraded: true, servedBy another model), so the requested model failed.
 */
export const ERROR_CLASSES = [
  "timeout",
  "http_4xx",
  "http_5xx",
  "rejected_429",
  "connection_error",
  "overflow",
  "degraded",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** corrected: from the intended send time (no coordinated omission); service: from the actual send. */
export const LATENCY_CLOCKS = ["corrected", "service"] as const;
export type LatencyClock = (typeof LATENCY_CLOCKS)[number];

/**
 * Which requests a latency metric covers. answered (default): the ok ones only, since failures live
 * in the error rates; all: every request that got a latency (errors, timeouts, degraded; an
 * overflow was never sent and has none), on the corrected clock only.
 */
export const LATENCY_OUTCOMES = ["answered", "all"] as const;
export type LatencyOutcomes = (typeof LATENCY_OUTCOMES)[number];

/**
 * Which arrivals accuracy covers. all (default): end-to-end, every arrival of a scorable item, a
 * failed, timed-out, overflowed or degraded request counting as wrong; answered: correct / ok.
 */
export const ACCURACY_OVER = ["all", "answered"] as const;
export type AccuracyOver = (typeof ACCURACY_OVER)[number];

export const METRIC_NAMES = [
  "success_rate",
  "error_rate",
  "p",
  "avg",
  "min",
  "max",
  "throughput",
  "accuracy",
  "cer",
  "count",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricTags {
  class?: ErrorClass | "ok";
  clock?: LatencyClock;
  over?: AccuracyOver;
  outcomes?: LatencyOutcomes;
}
type TagKey = keyof MetricTags;

/** Tag values that mean the same as leaving the tag out: the canonical text drops them. */
const DEFAULT_TAGS: Partial<Record<TagKey, string>> = {
  clock: "corrected",
  over: "all",
  outcomes: "answered",
};

interface MetricInfo {
  /** The tags the metric accepts and their allowed values. */
  tags: Partial<Record<TagKey, readonly string[]>>;
  /** Rates are fractions: `success_rate>=99.9` is a typo for 0.999, so it is rejected. */
  fraction: boolean;
}

const LATENCY: MetricInfo = {
  tags: { clock: LATENCY_CLOCKS, outcomes: LATENCY_OUTCOMES },
  fraction: false,
};
const PLAIN: MetricInfo = { tags: {}, fraction: false };

const METRICS: Readonly<Record<MetricName, MetricInfo>> = {
  success_rate: { tags: {}, fraction: true },
  error_rate: { tags: { class: ERROR_CLASSES }, fraction: true },
  p: LATENCY,
  avg: LATENCY,
  min: LATENCY,
  max: LATENCY,
  throughput: PLAIN,
  accuracy: { tags: { over: ACCURACY_OVER }, fraction: true },
  // Over answered requests only: a failed request has no text to compare (accuracy says end-to-end).
  cer: PLAIN,
  count: { tags: { class: ["ok", ...ERROR_CLASSES] }, fraction: false },
};

/** p(N), avg, min and max: the metrics read from a latency distribution. */
export const isLatencyMetric = (metric: MetricName): boolean => METRICS[metric] === LATENCY;

const KNOWN_METRICS =
  "success_rate, error_rate{class:…}, p(N), avg, min, max (latency of answered requests; {outcomes:all} for every request with a latency, {clock:service} for the service clock), throughput, accuracy (end-to-end: a failed request is wrong; {over:answered} for answered requests only), cer (answered requests), count{class:…}";

/** In a hypothesis or stop condition, "*" for phase or target means each one, judged on its own. */
export const EVERY = "*";

export type ComparisonOp = "<" | "<=" | ">" | ">=" | "==";
const OPS: readonly ComparisonOp[] = ["<", "<=", ">", ">=", "=="];

export interface Bound {
  op: ComparisonOp;
  value: number;
}

export interface MetricSelector {
  metric: MetricName;
  /** Only tags that differ from the default (`clock:corrected`, `over:all`, `outcomes:answered` are dropped). */
  tags: MetricTags;
  /** Set for `p(N)` only: 0 < N ≤ 100. */
  percentile?: number;
}

export interface Threshold extends MetricSelector, Bound {}

/** An SLO: the bound to meet, and optionally a looser one that still only warns. */
export interface ParsedSlo {
  selector: MetricSelector;
  target: Bound;
  tolerance?: Bound;
}

/** The object form of an SLO, as written in a spec: `{ metric: "p(99)", target: "<500", tolerance: "<1000" }`. */
export interface SloParts {
  metric: string;
  target: string;
  tolerance?: string;
}

export type SloField = keyof SloParts;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; field?: SloField };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SELECTOR = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*(?:\{([^{}]*)\})?$/;
const COMPARISON = /^([^<>=!]*)([<>=!]+)(.*)$/s;
const TAG = /^\s*([A-Za-z_]+)\s*:\s*([A-Za-z0-9_]+)\s*$/;

const fail = (message: string, field?: SloField): { ok: false; message: string; field?: SloField } =>
  field ? { ok: false, message, field } : { ok: false, message };

/** `p(99)<500` → its parts, or a sentence saying what is wrong. */
export function safeParseThreshold(text: string): Parsed<Threshold> {
  const match = COMPARISON.exec(text);
  if (!match) return fail(`expected a comparison such as p(99)<500 or success_rate>=0.999`);
  const [, selectorText = "", opText = "", valueText = ""] = match;
  const selector = readSelector(selectorText);
  if (!selector.ok) return selector;
  const bound = readBound(opText, valueText, selector.value);
  if (!bound.ok) return bound;
  return { ok: true, value: { ...selector.value, ...bound.value } };
}

export function parseThreshold(text: string): Threshold {
  return orThrow(text, safeParseThreshold(text));
}

/** `p(99){clock:service}` (a metric with no comparison) → its parts. */
export function safeParseSelector(text: string): Parsed<MetricSelector> {
  if (/[<>=!~]/.test(text)) {
    return fail(`"${text.trim()}" names the metric only (e.g. "p(99)"); the comparison goes in target`);
  }
  return readSelector(text);
}

/** `>=0.98` → a bound on `selector`'s metric. */
export function safeParseBound(text: string, selector: MetricSelector): Parsed<Bound> {
  const match = /^\s*([<>=!]+)(.*)$/s.exec(text);
  if (!match) return fail(`expected a comparison and a number, e.g. ">=0.98" or "<500" (got "${text}")`);
  return readBound(match[1] ?? "", match[2] ?? "", selector);
}

/**
 * An SLO in either form: `"success_rate>=0.999 ~ >=0.98"` (target, then `~` and the tolerance) or
 * `{ metric, target, tolerance? }`. The tolerance must bound the same side and be looser.
 */
export function safeParseSlo(input: string | SloParts): Parsed<ParsedSlo> {
  if (typeof input === "string") {
    const parts = input.split("~");
    if (parts.length > 2) return fail("an SLO has at most one ~ (target ~ tolerance)");
    const threshold = safeParseThreshold(parts[0] ?? "");
    if (!threshold.ok) return threshold;
    const { op, value, ...selector } = threshold.value;
    return withTolerance(selector, { op, value }, parts[1], undefined);
  }
  const selector = safeParseSelector(input.metric);
  if (!selector.ok) return fail(selector.message, "metric");
  const target = safeParseBound(input.target, selector.value);
  if (!target.ok) return fail(target.message, "target");
  return withTolerance(selector.value, target.value, input.tolerance, "tolerance");
}

export function parseSlo(input: string | SloParts): ParsedSlo {
  return orThrow(typeof input === "string" ? input : formatSloParts(input), safeParseSlo(input));
}

function withTolerance(
  selector: MetricSelector,
  target: Bound,
  toleranceText: string | undefined,
  field: SloField | undefined,
): Parsed<ParsedSlo> {
  if (toleranceText === undefined) return { ok: true, value: { selector, target } };
  if (toleranceText.trim() === "") return fail("expected a tolerance after ~, e.g. ~ >=0.98", field);
  const tolerance = safeParseBound(toleranceText, selector);
  // In the object form the field already says "tolerance"; in the string form the message must.
  if (!tolerance.ok) return fail(field ? tolerance.message : `tolerance: ${tolerance.message}`, field);
  const problem = toleranceProblem(target, tolerance.value);
  if (problem) return fail(problem, field);
  return { ok: true, value: { selector, target, tolerance: tolerance.value } };
}

/** Every value that meets the target must also meet the tolerance; otherwise it is not a tolerance. */
function toleranceProblem(target: Bound, tolerance: Bound): string | undefined {
  if (target.op === "==") return `an == target (${formatBound(target)}) cannot have a tolerance`;
  const upper = (op: ComparisonOp) => op === "<" || op === "<=";
  if (tolerance.op === "==" || upper(target.op) !== upper(tolerance.op)) {
    return `tolerance ${formatBound(tolerance)} must bound the same side as the target ${formatBound(target)}`;
  }
  const inclusive = target.op === "<=" || target.op === ">=";
  const looser = inclusive
    ? compare(target.value, tolerance)
    : upper(target.op)
      ? tolerance.value >= target.value
      : tolerance.value <= target.value;
  return looser
    ? undefined
    : `tolerance ${formatBound(tolerance)} must be looser than the target ${formatBound(target)}`;
}

function readSelector(text: string): Parsed<MetricSelector> {
  const trimmed = text.trim();
  if (trimmed === "") return fail("expected a metric before the comparison, e.g. p(99)<500");
  const match = SELECTOR.exec(trimmed);
  if (!match) return fail(`"${trimmed}" is not a metric: write name, p(N) or name{tag:value}`);
  const [, name = "", argument, tagText] = match;
  if (name === "p_service") {
    return fail(`write the service clock as a tag: p(${argument?.trim() || "99"}){clock:service}`);
  }
  if (!(METRIC_NAMES as readonly string[]).includes(name)) {
    return fail(`unknown metric "${name}"; known metrics: ${KNOWN_METRICS}`);
  }
  const metric = name as MetricName;
  const percentile = readPercentile(metric, argument);
  if (!percentile.ok) return percentile;
  const tags = readTags(metric, tagText);
  if (!tags.ok) return tags;
  const selector: MetricSelector = { metric, tags: tags.value };
  if (percentile.value !== undefined) selector.percentile = percentile.value;
  return { ok: true, value: selector };
}

function readPercentile(metric: MetricName, argument: string | undefined): Parsed<number | undefined> {
  if (metric !== "p") {
    return argument === undefined
      ? { ok: true, value: undefined }
      : fail(`${metric} takes no argument (only p(N) does)`);
  }
  const text = argument?.trim() ?? "";
  if (text === "") return fail("p needs a percentile, e.g. p(99)");
  const value = Number(text);
  if (!NUMBER.test(text) || value <= 0 || value > 100) {
    return fail(
      `the percentile in p(${text}) must be a number more than 0 and at most 100 (use min for the least)`,
    );
  }
  return { ok: true, value };
}

function readTags(metric: MetricName, text: string | undefined): Parsed<MetricTags> {
  const tags: Record<string, string> = {};
  if (text === undefined) return { ok: true, value: tags };
  const allowed = METRICS[metric].tags;
  const keys = Object.keys(allowed);
  if (keys.length === 0) return fail(`${metric} takes no tags`);
  for (const part of text.split(",")) {
    const match = TAG.exec(part);
    if (!match)
      return fail(
        `tag "${part.trim()}" must be key:value, e.g. {${keys[0]}:${allowed[keys[0] as TagKey]?.[0]}}`,
      );
    const [, key = "", value = ""] = match;
    const values = allowed[key as TagKey];
    if (!values) return fail(`${metric} has no tag "${key}"; it takes ${keys.join(", ")}`);
    if (!values.includes(value)) return fail(`${key} must be one of ${values.join(", ")} (got "${value}")`);
    if (key in tags) return fail(`tag "${key}" is given twice`);
    tags[key] = value;
  }
  // Latencies of every outcome are kept on the corrected clock only.
  if (tags.outcomes === "all" && tags.clock === "service") {
    return fail(
      "outcomes:all is measured on the corrected clock only; drop clock:service (or drop outcomes:all to time answered requests on the service clock)",
    );
  }
  for (const [key, value] of Object.entries(DEFAULT_TAGS)) {
    if (tags[key] === value) delete tags[key];
  }
  return { ok: true, value: tags as MetricTags };
}

function readBound(opText: string, valueText: string, selector: MetricSelector): Parsed<Bound> {
  const op = OPS.find((candidate) => candidate === opText);
  if (!op) {
    return opText === "="
      ? fail('use == to compare for equality ("=" alone is not a comparison)')
      : fail(`"${opText}" is not a comparison; use <, <=, >, >= or ==`);
  }
  const text = valueText.trim();
  if (text === "") return fail(`expected a number after "${op}"`);
  if (!NUMBER.test(text)) {
    return /^[\d.]+\s*(?:ms|s|%)$/.test(text)
      ? fail(`write a plain number in the metric's unit (latency in ms, rates as fractions), not "${text}"`)
      : fail(`expected a number after "${op}" (got "${text}")`);
  }
  const value = Number(text);
  if (METRICS[selector.metric].fraction && (value < 0 || value > 1)) {
    return fail(`${selector.metric} is a fraction from 0 to 1 (0.999 means 99.9%), got ${text}`);
  }
  if (value < 0) return fail(`${formatSelector(selector)} is never negative, got ${text}`);
  return { ok: true, value: { op, value } };
}

function orThrow<T>(text: string, parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  throw new AppError("invalid_threshold", `Invalid threshold "${text}": ${parsed.message}.`, 400);
}

/** The canonical text: no spaces, tags sorted, default tags dropped (`p(99){clock:service}`). */
export function formatSelector(selector: MetricSelector): string {
  const argument = selector.percentile === undefined ? "" : `(${selector.percentile})`;
  const tags = Object.entries(selector.tags)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}:${value}`);
  return `${selector.metric}${argument}${tags.length > 0 ? `{${tags.join(",")}}` : ""}`;
}

export const formatBound = (bound: Bound) => `${bound.op}${bound.value}`;

export const formatThreshold = (threshold: Threshold) =>
  `${formatSelector(threshold)}${formatBound(threshold)}`;

/** `success_rate>=0.999 ~ >=0.98`: the string form, which parses back to the same SLO. */
export function formatSlo(slo: ParsedSlo): string {
  const target = `${formatSelector(slo.selector)}${formatBound(slo.target)}`;
  return slo.tolerance ? `${target} ~ ${formatBound(slo.tolerance)}` : target;
}

function formatSloParts(parts: SloParts): string {
  return `${parts.metric}${parts.target}${parts.tolerance === undefined ? "" : ` ~ ${parts.tolerance}`}`;
}

/** Whether `value` meets the bound. NaN meets nothing. */
export function compare(value: number, bound: Bound): boolean {
  switch (bound.op) {
    case "<":
      return value < bound.value;
    case "<=":
      return value <= bound.value;
    case ">":
      return value > bound.value;
    case ">=":
      return value >= bound.value;
    case "==":
      return value === bound.value;
  }
}
