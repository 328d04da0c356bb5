// The fault control API's service: what /api/v1/faults and its sub-routes do, with the body
// parsing and the JSON shapes. Route handlers authenticate and call one function each.
import { z } from "zod";
import { type Fault, parseFaultRequest } from "../../chaos/faults/index";
import { MAX_TTL_SECONDS } from "../../chaos/faults/limits";
import { AppError } from "../../kernel/errors";
import { getModelServer } from "../inference/runtime";
import { getChaosRuntime, type HaltResult } from "./runtime";

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

export interface FaultJson {
  id: string;
  type: string;
  params: Record<string, unknown>;
  probability: number;
  scope: Fault["scope"];
  model: string | null;
  seed: string | null;
  actor: string;
  createdAt: string;
  expiresAt: string;
}

export function faultJson(fault: Fault): FaultJson {
  const { type, ...params } = fault.params;
  return {
    id: fault.id,
    type,
    params,
    probability: fault.probability,
    scope: fault.scope,
    model: fault.model ?? null,
    seed: fault.seed ?? null,
    actor: fault.actor,
    createdAt: fault.createdAt.toISOString(),
    expiresAt: fault.expiresAt.toISOString(),
  };
}

export async function listFaults() {
  const runtime = await getChaosRuntime();
  return { halted: runtime.isHalted(), faults: runtime.list().map(faultJson) };
}

export async function getFault(id: string): Promise<FaultJson> {
  return faultJson((await getChaosRuntime()).get(id));
}

export async function createFault(request: Request, actor: string): Promise<FaultJson> {
  const parsed = parseFaultRequest(await readJson(request, true));
  const model = parsed.lease.model;
  if (model !== undefined && !(await getModelServer()).has(model)) {
    throw new AppError("unknown_model", `No model named "${model}" is registered.`, 400);
  }
  return faultJson(await (await getChaosRuntime()).create(parsed, actor));
}

const RenewBody = z.strictObject({
  ttlSeconds: z
    .number({ message: "ttlSeconds must be a number" })
    .int("ttlSeconds must be a whole number")
    .min(1, `ttlSeconds must be from 1 to ${MAX_TTL_SECONDS}`)
    .max(MAX_TTL_SECONDS, `ttlSeconds must be from 1 to ${MAX_TTL_SECONDS}`)
    .optional(),
});

/** Extends the lease by ttlSeconds from now (by default, the fault's original lease length). */
export async function renewFault(id: string, request: Request): Promise<FaultJson> {
  const body = RenewBody.safeParse((await readJson(request, false)) ?? {});
  if (!body.success) {
    throw new AppError("invalid_renewal", body.error.issues[0]?.message ?? "invalid body", 400);
  }
  const runtime = await getChaosRuntime();
  const fault = runtime.get(id);
  const ttlSeconds =
    body.data.ttlSeconds ??
    Math.max(1, Math.round((fault.expiresAt.getTime() - fault.createdAt.getTime()) / 1000));
  return faultJson(await runtime.renew(id, ttlSeconds));
}

export async function stopFault(id: string, actor: string): Promise<FaultJson> {
  return faultJson(await (await getChaosRuntime()).stop(id, actor));
}

export async function haltChaos(actor: string): Promise<HaltResult & { halted: true }> {
  return { halted: true, ...(await (await getChaosRuntime()).halt(actor)) };
}

export async function armChaos(actor: string): Promise<{ halted: false }> {
  await (await getChaosRuntime()).arm(actor);
  return { halted: false };
}

/** The JSON body; undefined for an empty one unless `required`. Malformed JSON is a 400. */
async function readJson(request: Request, required: boolean): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_CONTROL_BODY_BYTES) {
    throw new AppError("body_too_large", `The body is larger than ${MAX_CONTROL_BODY_BYTES} bytes.`, 413);
  }
  if (text.trim() === "") {
    if (required) throw new AppError("invalid_json", "The body is empty: send a JSON object.", 400);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  }
}
