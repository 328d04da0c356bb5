// The chaos runtime's writes and reads in PostgreSQL: fault leases, their events, the kill
// switch and their audit rows. Through the process's one Prisma client (sharedPrisma, not the
// server-only db()): the data plane, outside Next.js, uses this module too.
import type { Fault, FaultParams, FaultScope } from "../../chaos/faults/index";
import { faultLayer } from "../../chaos/faults/index";
import { writeAudit } from "../audit";
import { sharedPrisma as chaosDb } from "../db/prisma";

export type EndReason = "stopped" | "expired" | "halted";

export interface StoredState {
  halted: boolean;
  /** Leases not yet ended (some may have expired while nobody was running). */
  open: Fault[];
}

export async function loadChaosState(): Promise<StoredState> {
  const [state, rows] = await Promise.all([
    chaosDb().chaosState.findUnique({ where: { id: 1 } }),
    chaosDb().fault.findMany({ where: { endedAt: null }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    halted: state?.halted ?? false,
    open: rows.map((row) => ({
      id: row.id,
      params: row.params as FaultParams,
      probability: row.probability,
      scope: (row.scopeAll ? { all: true } : { run: row.runKey ?? "" }) as FaultScope,
      model: row.model ?? undefined,
      seed: row.seed ?? undefined,
      actor: row.actor,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    })),
  };
}

export async function recordFaultStarted(fault: Fault): Promise<void> {
  const runKey = "run" in fault.scope ? fault.scope.run : null;
  await chaosDb().$transaction([
    chaosDb().fault.create({
      data: {
        id: fault.id,
        type: fault.params.type,
        layer: faultLayer(fault.params.type),
        params: fault.params,
        probability: fault.probability,
        runKey,
        scopeAll: "all" in fault.scope,
        model: fault.model ?? null,
        seed: fault.seed ?? null,
        actor: fault.actor,
        createdAt: fault.createdAt,
        expiresAt: fault.expiresAt,
      },
    }),
    chaosDb().faultEvent.create({
      data: { faultId: fault.id, event: "started", runKey, actor: fault.actor, params: leaseDetails(fault) },
    }),
    writeAudit(chaosDb(), {
      actor: fault.actor,
      action: "fault.start",
      target: fault.id,
      details: { ...leaseDetails(fault), run: runKey },
    }),
  ]);
}

export async function recordFaultRenewed(id: string, expiresAt: Date): Promise<void> {
  await chaosDb().fault.updateMany({ where: { id, endedAt: null }, data: { expiresAt } });
}

export async function recordFaultEnded(
  fault: Fault,
  reason: EndReason,
  actor: string,
  at: Date,
): Promise<void> {
  const runKey = "run" in fault.scope ? fault.scope.run : null;
  const event = reason === "stopped" ? "stopped" : reason;
  await chaosDb().$transaction([
    chaosDb().fault.updateMany({
      where: { id: fault.id, endedAt: null },
      data: { endedAt: at, endReason: reason },
    }),
    chaosDb().faultEvent.create({
      data: {
        faultId: fault.id,
        event,
        runKey,
        actor,
        at,
        params: { type: fault.params.type, expiresAt: fault.expiresAt.toISOString() },
      },
    }),
    // A halt is audited once, as chaos.halt, not once per fault it ends.
    ...(reason === "halted"
      ? []
      : [
          writeAudit(chaosDb(), {
            actor,
            action: `fault.${event}`,
            target: fault.id,
            details: { type: fault.params.type, run: runKey },
          }),
        ]),
  ]);
}

export async function recordHalted(
  halted: boolean,
  actor: string,
  details: Record<string, unknown>,
): Promise<void> {
  const at = new Date();
  await chaosDb().$transaction([
    chaosDb().chaosState.upsert({
      where: { id: 1 },
      create: { id: 1, halted, changedAt: at, changedBy: actor },
      update: { halted, changedAt: at, changedBy: actor },
    }),
    chaosDb().faultEvent.create({
      data: { event: halted ? "halted" : "armed", actor, at, params: details as object },
    }),
    writeAudit(chaosDb(), { actor, action: halted ? "chaos.halt" : "chaos.arm", target: null, details }),
  ]);
}

function leaseDetails(fault: Fault) {
  return {
    ...fault.params,
    probability: fault.probability,
    scope: fault.scope,
    model: fault.model ?? null,
    expiresAt: fault.expiresAt.toISOString(),
  };
}
