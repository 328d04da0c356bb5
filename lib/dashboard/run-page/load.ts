// The run page's loaders for the web server (the app's Prisma client). A benchmark or a test that
// brings its own client calls readRunPage / readRunSeries from ./data.ts directly.
import "server-only";
import { db } from "../../db/client";
import { readRunPage, readRunSeries } from "./data";
import type { RunPage, RunSeries } from "./types";
import { parseRunView, type RunView } from "./view";

type ViewInput = RunView | URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

function toView(input: ViewInput | undefined): RunView {
  if (input === undefined || input instanceof URLSearchParams) return parseRunView(input ?? {});
  const maybe = input as Partial<RunView>;
  const parsed = Array.isArray(maybe.percentiles) && typeof maybe.clock === "string" && "from" in maybe;
  return parsed ? (input as RunView) : parseRunView(input as Record<string, string | undefined>);
}

/** Everything /runs/{id} shows for a view (search params or a parsed RunView); null: no such run. */
export function loadRunPage(runId: string, view?: ViewInput): Promise<RunPage | null> {
  return readRunPage(db(), runId, toView(view));
}

/** The live part of the page (charts, breakdown, progress, fault events, flags); null: no such run. */
export function loadRunSeries(runId: string, view?: ViewInput): Promise<RunSeries | null> {
  return readRunSeries(db(), runId, toView(view));
}
