// The fault control API's service: what /api/v1/faults and its sub-routes do, with their body
// schemas and JSON shapes. Route handlers (lib/http/route.ts) parse with these and call one
// function each; the services take typed input and the caller's name.
import { z } from "zod";
import { type Fault, type FaultRequest, parseFaultRequest } from "../../chaos/faults/index";
import { MAX_TTL_SECONDS } from "../../chaos/faults/limits";
import { AppError } from "../../kernel/errors";
import { getModelServer } from "../inference/runtime";
import { getChaosRuntime, type HaltResult } from "./runtime";

/** Fault requests are small; this bounds what one request can make the server parse. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/** The body of POST /api/v1/faults; its parser gives its own codes (`unknown_fault_type`, `invalid_fault`). */
export const parseFaultBody: (json: unknown) => FaultRequest = parseFaultRequest;

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

export async function createFault(parsed: FaultRequest, actor: string): Promise<FaultJson> {
  const model = parsed.lease.model;
  // 400, not 404: the route exists; the model the body names does not.
  if (model !== undefined && !(await getModelServer()).has(model)) {
    throw new AppError("model_not_found", `No model named "${model}" is registered.`, 400);
  }
  return faultJson(await (await getChaosRuntime()).create(parsed, actor));
}

export const RenewBody = z.strictObject({
  ttlSeconds: z
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(1, `must be from 1 to ${MAX_TTL_SECONDS}`)
    .max(MAX_TTL_SECONDS, `must be from 1 to ${MAX_TTL_SECONDS}`)
    .optional(),
});
export type RenewBody = z.infer<typeof RenewBody>;

/** Extends the lease by ttlSeconds from now (by default, the fault's original lease length). */
export async function renewFault(id: string, body: RenewBody): Promise<FaultJson> {
  const runtime = await getChaosRuntime();
  const fault = runtime.get(id);
  const ttlSeconds =
    body.ttlSeconds ??
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
