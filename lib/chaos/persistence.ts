// The chaos runtime's writes and reads in PostgreSQL: fault leases, their events, the kill
// switch and the audit log. Its own small pool: the data plane (outside Next.js) uses it too.
import { randomUUID } from "node:crypto";
import type { Fault, FaultParams, FaultScope } from "../../chaos/faults/index";
import { faultLayer } from "../../chaos/faults/index";
import { StartupError } from "../../kernel/errors";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { env } from "../env";

const globalForChaosDb = globalThis as unknown as { faultlineChaosDb?: PrismaClient };

function chaosDb(): PrismaClient {
  if (globalForChaosDb.faultlineChaosDb) return globalForChaosDb.faultlineChaosDb;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new StartupError(
      "database_not_configured",
      "DATABASE_URL is not set: start Faultline with `npm start`.",
    );
  }
  globalForChaosDb.faultlineChaosDb = createPrismaClient(url, 3);
  return globalForChaosDb.faultlineChaosDb;
}

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
    ...auditRows(fault.actor, "fault.start", fault.id, { ...leaseDetails(fault), run: runKey }),
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
    ...(reason === "halted"
      ? []
      : auditRows(actor, `fault.${event}`, fault.id, { type: fault.params.type, run: runKey })),
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
    ...auditRows(actor, halted ? "chaos.halt" : "chaos.arm", null, details),
  ]);
}

function auditRows(actor: string, action: string, target: string | null, details: object) {
  return [chaosDb().auditEvent.create({ data: { id: randomUUID(), actor, action, target, details } })];
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
