// Every fault type, the lease that comes with a fault (probability, ttl, scope, model), and the
// one parser the control API uses: unknown types, unknown fields and out-of-range values are
// 400s with a code and a sentence, before anything is created.
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { AbortFault } from "./abort";
import { CorruptInputFault } from "./corrupt-input";
import { CorruptOutputFault } from "./corrupt-output";
import { CpuBurnFault } from "./cpu-burn";
import { ErrorFault } from "./error";
import { HangFault } from "./hang";
import { LatencyFault } from "./latency";
import { MAX_TTL_SECONDS } from "./limits";
import { MemoryPressureFault } from "./memory-pressure";
import { ModelFailureFault } from "./model-failure";
import { NetworkFault } from "./network";
import { OverloadFault } from "./overload";
import { SlowModelFault } from "./slow-model";

export const FaultParams = z.discriminatedUnion("type", [
  LatencyFault,
  ErrorFault,
  HangFault,
  AbortFault,
  SlowModelFault,
  ModelFailureFault,
  OverloadFault,
  CorruptInputFault,
  CorruptOutputFault,
  CpuBurnFault,
  MemoryPressureFault,
  NetworkFault,
]);
export type FaultParams = z.infer<typeof FaultParams>;
export type FaultType = FaultParams["type"];

export const FAULT_TYPES = FaultParams.options.map((option) => option.shape.type.value) as FaultType[];

/** Faults that act on the process or the network as a whole, not on individual requests. */
const PROCESS_FAULTS: ReadonlySet<FaultType> = new Set(["cpu_burn", "memory_pressure", "network"]);
export const isRequestFault = (type: FaultType) => !PROCESS_FAULTS.has(type);
export const faultLayer = (type: FaultType) => (type === "network" ? "network" : "app");

export const FaultScope = z.union(
  [
    z.strictObject({ run: z.string().trim().min(1, "scope.run must name a run").max(200) }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { message: 'scope must be { "run": "<run id>" } or { "all": true }' },
);
export type FaultScope = z.infer<typeof FaultScope>;

export const FaultLease = z.strictObject({
  probability: z
    .number({ message: "probability must be a number from 0 to 1" })
    .min(0, "probability must be from 0 to 1")
    .max(1, "probability must be from 0 to 1")
    .default(1),
  ttlSeconds: z
    .number({ message: `ttlSeconds is required: a whole number of seconds from 1 to ${MAX_TTL_SECONDS}` })
    .int("ttlSeconds must be a whole number")
    .min(1, `ttlSeconds must be from 1 to ${MAX_TTL_SECONDS}`)
    .max(MAX_TTL_SECONDS, `ttlSeconds must be at most ${MAX_TTL_SECONDS}: renew the lease instead`),
  scope: FaultScope,
  model: z.string().min(1).max(200).optional(),
  /** Seeds the fault's decisions (which requests it hits, jitter, corruption) so a run replays. */
  seed: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
});
export type FaultLease = z.infer<typeof FaultLease>;

export interface FaultRequest {
  params: FaultParams;
  lease: FaultLease;
}

/** An active fault: its parameters, its lease and who started it. */
export interface Fault {
  id: string;
  params: FaultParams;
  probability: number;
  scope: FaultScope;
  model?: string;
  /** Seed of its random stream; the id when none was given. */
  seed?: string;
  actor: string;
  createdAt: Date;
  expiresAt: Date;
}

const LEASE_KEYS = ["probability", "ttlSeconds", "scope", "model", "seed"] as const;

/** Parses POST /api/v1/faults's body. Throws a 400 AppError that names the problem. */
export function parseFaultRequest(body: unknown): FaultRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("invalid_fault", "The body must be a JSON object describing one fault.");
  }
  const record = body as Record<string, unknown>;
  if (!FAULT_TYPES.includes(record.type as FaultType)) {
    throw new AppError(
      "unknown_fault_type",
      `"type" must be one of ${FAULT_TYPES.join(", ")}${record.type === undefined ? "" : ` (got ${JSON.stringify(record.type)})`}.`,
      400,
      { known: FAULT_TYPES },
    );
  }
  const leaseInput: Record<string, unknown> = {};
  const paramsInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if ((LEASE_KEYS as readonly string[]).includes(key)) leaseInput[key] = value;
    else paramsInput[key] = value;
  }
  const lease = FaultLease.safeParse(leaseInput);
  if (!lease.success) throw fromZod(lease.error);
  const params = FaultParams.safeParse(paramsInput);
  if (!params.success) throw fromZod(params.error);
  if (!isRequestFault(params.data.type) && lease.data.probability !== 1) {
    throw invalid(
      "invalid_fault",
      `probability applies to per-request faults; a ${params.data.type} fault acts on the whole process (leave probability out).`,
    );
  }
  return { params: params.data, lease: lease.data };
}

function fromZod(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") ?? "";
  const unknownKeys = issue?.code === "unrecognized_keys" ? issue.keys : undefined;
  const message = unknownKeys
    ? `Unknown field${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((key) => `"${key}"`).join(", ")} for this fault type.`
    : prefixField(field, issue?.message ?? "invalid fault");
  return invalid(
    "invalid_fault",
    message,
    error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}

/** "latencyMs: must be…" unless the message already starts with the field's name or path. */
function prefixField(field: string, message: string): string {
  const leaf = field.split(".").pop() ?? "";
  return field && !message.startsWith(leaf) && !message.startsWith(field) ? `${field}: ${message}` : message;
}

function invalid(code: string, message: string, issues?: unknown): AppError {
  return new AppError(code, message, 400, issues ? { issues } : undefined);
}
