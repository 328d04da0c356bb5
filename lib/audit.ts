// The one writer of audit_events rows: who did what to which thing. Every module that audits
// (experiments and runs, schedules, tokens and sessions, faults and the kill switch) calls this,
// inside its own transaction when the row must stand or fall with the change it records.
import type { Prisma } from "./generated/prisma/client";

export interface AuditEntry {
  /** Who: a token's name, "admin" for the bootstrap token, "system" or "lease" for the runtime. */
  actor: string;
  /** What, as `noun.verb`: `run.launch`, `token.revoke`, `chaos.halt`… */
  action: string;
  /** The id of the thing acted on; null when there is none (the kill switch). */
  target: string | null;
  /** Set when the row belongs to a run (its audit trail is shown with it). */
  runId?: string;
  /** Never a secret. */
  details?: Record<string, unknown>;
}

/** Anything with the auditEvent model: the Prisma client or a transaction's client. */
export type AuditClient = Pick<Prisma.TransactionClient, "auditEvent">;

/**
 * Writes one audit row. Returns Prisma's lazy promise, so it can be awaited, or passed to an
 * array `$transaction([…])` with the writes it records.
 */
export function writeAudit(client: AuditClient, entry: AuditEntry) {
  return client.auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      ...(entry.runId === undefined ? {} : { runId: entry.runId }),
      details: (entry.details ?? {}) as Prisma.InputJsonObject,
    },
  });
}
