// The shapes of ids in URLs, written once: every `[id]` route parses its params with IdParams,
// and services that also take ids from pages (which have no route wrapper) test with isUuid.
import { z } from "zod";

/**
 * Every id Faultline hands out is a UUID (runs, experiments, schedules, faults, tokens). Checked
 * for its shape only (8-4-4-4-12 hex), not its version bits: an id the database never issued is
 * simply not found.
 */
export const Uuid = z.guid("must be a UUID");
export type Uuid = z.infer<typeof Uuid>;

export function isUuid(value: string): boolean {
  return Uuid.safeParse(value).success;
}

/** `/…/[id]`: the params of every route under an entity's id. */
export const IdParams = z.object({ id: Uuid });
export type IdParams = z.infer<typeof IdParams>;

/** `/api/v1/models/[name]`: a model's name as registered (checked against the registry, not here). */
export const ModelParams = z.object({ name: z.string().min(1) });
export type ModelParams = z.infer<typeof ModelParams>;
