// Retrieval metrics over a ranked list of ids.
import { AppError } from "../../../kernel/errors";

/** Share of the relevant ids found in the top k of the ranking (duplicates count once). */
export function recallAtK<Id>(rankedIds: readonly Id[], relevantIds: readonly Id[], k: number): number {
  const relevant = checked(relevantIds, k);
  const found = new Set(rankedIds.slice(0, k).filter((id) => relevant.has(id)));
  return found.size / relevant.size;
}

/**
 * 1 when any relevant id is in the top k, else 0: what image–text retrieval papers (Flickr30k,
 * COCO) report as "R@K", where each query has several equally good targets.
 */
export function hitAtK<Id>(rankedIds: readonly Id[], relevantIds: readonly Id[], k: number): number {
  const relevant = checked(relevantIds, k);
  return rankedIds.slice(0, k).some((id) => relevant.has(id)) ? 1 : 0;
}

function checked<Id>(relevantIds: readonly Id[], k: number): Set<Id> {
  if (!Number.isInteger(k) || k < 1) {
    throw new AppError("invalid_k", `k must be a positive integer, got ${k}.`, 400);
  }
  if (relevantIds.length === 0) {
    throw new AppError("invalid_item", "Recall needs at least one relevant id.", 400);
  }
  return new Set(relevantIds);
}
