// What a client may send to create or change a schedule, parsed once at the edge (the routes pass
// ScheduleCreateBody / SchedulePatchBody to lib/http/route.ts). Every bad field is reported (400
// `invalid_schedule`, in lib/http.ts's one shape: `details.issues[]` with each field's path).
import { z } from "zod";
import type { AppError } from "../../kernel/errors";
import { type InputIssue, inputIssues, invalidRequest } from "../http";
import { Uuid } from "../http/params";
import { canonicalTimeZone, cronProblem, normaliseCron } from "./schedules-cron";

const CronExpression = z
  .string()
  .max(200)
  .transform((value, context) => {
    const problem = cronProblem(value);
    if (problem) {
      context.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return normaliseCron(value);
  });

const TimeZone = z
  .string()
  .max(100)
  .transform((value, context) => {
    const zone = canonicalTimeZone(value);
    if (!zone) {
      context.addIssue({
        code: "custom",
        message: `"${value}" is not an IANA time zone (for example UTC, Europe/Berlin, America/New_York)`,
      });
      return z.NEVER;
    }
    return zone;
  });

const WebhookUrl = z
  .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
  .max(2000, "must be at most 2000 characters");

export const OverlapPolicy = z.enum(["skip", "queue"]);
export type OverlapPolicy = z.infer<typeof OverlapPolicy>;
export const WebhookFormat = z.enum(["json", "slack"]);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

const experimentFields = {
  experimentId: Uuid.optional(),
  experimentName: z.string().trim().min(1).max(200).optional(),
};

export const ScheduleCreate = z.strictObject({
  ...experimentFields,
  cron: CronExpression,
  timezone: TimeZone.default("UTC"),
  enabled: z.boolean().default(true),
  overlapPolicy: OverlapPolicy.default("skip"),
  webhookUrl: WebhookUrl.nullable().optional(),
  webhookFormat: WebhookFormat.default("json"),
});
export type ScheduleCreate = z.infer<typeof ScheduleCreate>;

export const SchedulePatch = z.strictObject({
  ...experimentFields,
  cron: CronExpression.optional(),
  timezone: TimeZone.optional(),
  enabled: z.boolean().optional(),
  overlapPolicy: OverlapPolicy.optional(),
  webhookUrl: WebhookUrl.nullable().optional(),
  webhookFormat: WebhookFormat.optional(),
});
export type SchedulePatch = z.infer<typeof SchedulePatch>;

/** The field, e.g. "cron" or "timezone" ("" for the body as a whole), and what is wrong with it. */
export type ScheduleIssue = InputIssue;

/** The 400 code of every bad schedule body. */
export const INVALID_SCHEDULE = "invalid_schedule";

export function parseScheduleCreate(input: unknown): ScheduleCreate {
  return parseWith(ScheduleCreate, input, (named) =>
    named === 1 ? null : "give exactly one of experimentId and experimentName",
  );
}

export function parseSchedulePatch(input: unknown): SchedulePatch {
  return parseWith(SchedulePatch, input, (named) =>
    named > 1 ? "give at most one of experimentId and experimentName" : null,
  );
}

/** The 400 for a schedule body: the first bad field as the message, every issue in details. */
export function invalidScheduleError(issues: ScheduleIssue[]): AppError {
  return invalidRequest(issues, INVALID_SCHEDULE);
}

/** Checked beside the schema, so that it is reported together with the fields' own issues. */
type ExperimentCheck = (named: number) => string | null;

function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  checkExperiment: ExperimentCheck,
): z.infer<T> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalidScheduleError([{ path: "", message: "the body must be a JSON object" }]);
  }
  const body = input as Record<string, unknown>;
  const named = ["experimentId", "experimentName"].filter((key) => body[key] !== undefined).length;
  const experimentProblem = checkExperiment(named);
  const extra: ScheduleIssue[] = experimentProblem
    ? [{ path: "experimentId", message: experimentProblem }]
    : [];
  const parsed = schema.safeParse(input);
  if (parsed.success && extra.length === 0) return parsed.data;
  throw invalidScheduleError([...(parsed.success ? [] : inputIssues(parsed.error, input)), ...extra]);
}

/** For the route wrapper: a JSON body → the parsed create (or patch), or 400 `invalid_schedule`. */
export const ScheduleCreateBody = (json: unknown): ScheduleCreate => parseScheduleCreate(json);
export const SchedulePatchBody = (json: unknown): SchedulePatch => parseSchedulePatch(json);
