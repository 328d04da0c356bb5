// The items of a run (GET /api/v1/runs/{id}/items): one entry per distinct item key with what
// each target did with it, grouped from item_results in the database, paged by item key (keyset).
// `disagree` keeps the items the targets judged differently (majority over repeats); it is applied
// after grouping, so a page reads further keys until it is full.
import "server-only";
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { db } from "../db/client";
import {
  decodeCursor,
  disagrees,
  encodeCursor,
  groupItems,
  type ItemEntry,
  type ItemGroupRow,
} from "../runner/item-results";
import { OUTCOMES } from "../runner/outcomes";
import { runNotFound } from "./service";

export const ItemsQuery = z.object({
  disagree: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** Items with at least one request to this target (every target's results are shown). */
  target: z.string().min(1).optional(),
  /** Items with at least one request of this class. */
  outcome: z.enum(OUTCOMES).optional(),
  /** Only this phase's requests count. */
  phase: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .transform((cursor, context) => {
      const key = decodeCursor(cursor);
      if (key === undefined) context.addIssue({ code: "custom", message: "not a cursor this API gave" });
      return key ?? "";
    })
    .optional(),
});
export type ItemsQuery = z.infer<typeof ItemsQuery>;

export interface ItemsPage {
  items: ItemEntry[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

export async function listRunItems(runId: string, query: ItemsQuery): Promise<ItemsPage> {
  const prisma = db();
  const run = await prisma.run.findUnique({
    where: { id: runId },
    select: { arms: { select: { id: true, label: true } } },
  });
  if (!run) throw runNotFound(runId);
  const labelOf = new Map(run.arms.map((arm) => [arm.id, arm.label]));
  const armId = query.target === undefined ? null : run.arms.find((arm) => arm.label === query.target)?.id;
  if (armId === undefined)
    throw new AppError("unknown_target", `Run ${runId} has no target named ${query.target}.`, 400);

  const items: ItemEntry[] = [];
  let after = query.cursor ?? "";
  // Without `disagree` one read fills the page; with it, read wider chunks until it is full.
  const chunk = query.disagree ? Math.max(200, query.limit * 4) : query.limit + 1;
  for (;;) {
    const keys = await prisma.$queryRaw<{ item_key: string }[]>`
      select distinct item_key collate "C" as item_key from item_results
      where run_id = ${runId}::uuid and item_key collate "C" > ${after}
        and (${query.phase ?? null}::text is null or phase = ${query.phase ?? null})
        and (${armId}::uuid is null or arm_id = ${armId}::uuid)
        and (${query.outcome ?? null}::text is null or outcome = ${query.outcome ?? null})
      order by item_key collate "C" limit ${chunk}`;
    if (keys.length === 0) return { items, next: null };
    const rows = await prisma.$queryRaw<
      {
        item_key: string;
        arm_id: string;
        outcome: string;
        requests: number;
        correct: number;
        scored: number;
        answers: string[] | null;
      }[]
    >`
      select item_key, arm_id, outcome, count(*)::int as requests,
        (count(*) filter (where correct))::int as correct,
        (count(*) filter (where correct is not null))::int as scored,
        (array_agg(distinct answer) filter (where answer is not null))[1:3] as answers
      from item_results
      where run_id = ${runId}::uuid and item_key = any(${keys.map((key) => key.item_key)}::text[])
        and (${query.phase ?? null}::text is null or phase = ${query.phase ?? null})
      group by item_key, arm_id, outcome`;
    const grouped = groupItems(
      rows.map(
        (row): ItemGroupRow => ({
          itemKey: row.item_key,
          target: labelOf.get(row.arm_id) ?? row.arm_id,
          outcome: row.outcome,
          requests: row.requests,
          correct: row.correct,
          scored: row.scored,
          answers: row.answers,
        }),
      ),
    );
    for (const entry of grouped) {
      if (query.disagree && !disagrees(entry)) continue;
      if (items.length === query.limit) return { items, next: encodeCursor(after) };
      const { scored: _scored, ...item } = entry;
      items.push(item);
      after = entry.itemKey;
    }
    // Past every key read so far: the next chunk starts after the last one.
    after = keys.at(-1)?.item_key ?? after;
    if (keys.length < chunk) return { items, next: null };
  }
}
