// The compare page's selection as it lives in the URL (`/compare?run=…&targets=…&diff=1`): parsed
// leniently so a shared link with a typo still opens, and written back with defaults left out.
// Pure: the client controls import it too (ids are checked by the API's one UUID rule).
import { isUuid } from "../../http/params";

export type LatencyClock = "latency" | "service";

/** At most this many runs side by side: beyond it the table and the charts stop being readable. */
export const MAX_COMPARED_RUNS = 4;

export interface CompareParams {
  runIds: string[];
  /** Target names to show; null = all. */
  targets: string[] | null;
  diff: boolean;
  /** A leaderboard column key; null = by resilience. */
  sort: string | null;
  clock: LatencyClock;
}

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type SearchParams = Record<string, string | string[] | undefined>;

const all = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Reads `?run=<id>&run=<id2>&targets=a,b&diff=1&sort=p99&clock=service`. Tolerant: anything that is
 * not a run id or a target name is dropped (a shared link with a typo still opens), duplicates
 * are removed, and at most MAX_COMPARED_RUNS runs are kept (`dropped` says how many were not).
 */
export function parseCompareParams(searchParams: SearchParams): CompareParams & { dropped: string[] } {
  const ids = unique(all(searchParams.run).flatMap(splitList)).map((id) => id.toLowerCase());
  const valid = unique(ids.filter((id) => isUuid(id)));
  const targets = unique(all(searchParams.targets).flatMap(splitList)).filter((name) =>
    TARGET_NAME.test(name),
  );
  const diff = all(searchParams.diff).some((value) => value === "1" || value === "true" || value === "on");
  const sort = all(searchParams.sort)[0] ?? null;
  const clock = all(searchParams.clock)[0] === "service" ? "service" : "latency";
  return {
    runIds: valid.slice(0, MAX_COMPARED_RUNS),
    targets: targets.length > 0 ? targets : null,
    diff,
    sort: sort && /^[\w:.-]{1,80}$/.test(sort) ? sort : null,
    clock,
    dropped: [...ids.filter((id) => !isUuid(id)), ...valid.slice(MAX_COMPARED_RUNS)],
  };
}

/** The URL of a selection; defaults are left out so links stay short. */
export function compareHref(params: CompareParams, change: Partial<CompareParams> = {}): string {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  for (const id of next.runIds) query.append("run", id);
  if (next.targets && next.targets.length > 0) query.set("targets", next.targets.join(","));
  if (next.diff) query.set("diff", "1");
  if (next.sort) query.set("sort", next.sort);
  if (next.clock === "service") query.set("clock", "service");
  const text = query.toString();
  return text ? `/compare?${text}` : "/compare";
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
