// What a run page shows, as URL search params so a view can be shared: which latency percentiles
// (one chart each), which clock(s), which targets, and the zoom period in seconds since the start.
// Pure and safe on server and client; unknown or malformed values fall back to the defaults.

export const PERCENTILES = ["p50", "p90", "p99", "p999"] as const;
export type PercentileKey = (typeof PERCENTILES)[number];

export const PERCENTILE_VALUE: Readonly<Record<PercentileKey, number>> = {
  p50: 50,
  p90: 90,
  p99: 99,
  p999: 99.9,
};

export const PERCENTILE_LABEL: Readonly<Record<PercentileKey, string>> = {
  p50: "P50",
  p90: "P90",
  p99: "P99",
  p999: "P99.9",
};

/** corrected: from the intended send time (coordinated omission corrected); service: from the actual send. */
export type Clock = "corrected" | "service";
export const CLOCK_CHOICES = ["both", "corrected", "service"] as const;
export type ClockChoice = (typeof CLOCK_CHOICES)[number];

export interface RunView {
  percentiles: PercentileKey[];
  clock: ClockChoice;
  /** Target names to chart; null for all of them. */
  targets: string[] | null;
  /** Zoom period, seconds since the start; null for the whole planned run. */
  from: number | null;
  to: number | null;
}

export const DEFAULT_VIEW: RunView = {
  percentiles: ["p50", "p99"],
  clock: "both",
  targets: null,
  from: null,
  to: null,
};

type Params = URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

function read(params: Params, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

const PERCENTILE_ALIASES: Readonly<Record<string, PercentileKey>> = {
  p50: "p50",
  p90: "p90",
  p99: "p99",
  p999: "p999",
  "p99.9": "p999",
};

function seconds(text: string | undefined): number | null {
  if (text === undefined || text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

export function parseRunView(params: Params): RunView {
  const percentiles = [
    ...new Set(
      (read(params, "pct") ?? "")
        .split(",")
        .map((part) => PERCENTILE_ALIASES[part.trim().toLowerCase()])
        .filter((key): key is PercentileKey => key !== undefined),
    ),
  ].sort((a, b) => PERCENTILES.indexOf(a) - PERCENTILES.indexOf(b));
  const clock = read(params, "clock");
  const targets = (read(params, "targets") ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  let from = seconds(read(params, "from"));
  let to = seconds(read(params, "to"));
  if (from !== null && to !== null && to <= from) [from, to] = [null, null];
  return {
    percentiles: percentiles.length ? percentiles : DEFAULT_VIEW.percentiles,
    clock: (CLOCK_CHOICES as readonly string[]).includes(clock ?? "") ? (clock as ClockChoice) : "both",
    targets: targets.length ? [...new Set(targets)] : null,
    from,
    to,
  };
}

/** The view as a query string ("" for the defaults), parameters in a fixed order. */
export function runViewSearch(view: RunView): string {
  const params = new URLSearchParams();
  if (view.percentiles.join(",") !== DEFAULT_VIEW.percentiles.join(","))
    params.set("pct", view.percentiles.join(","));
  if (view.clock !== "both") params.set("clock", view.clock);
  if (view.targets?.length) params.set("targets", view.targets.join(","));
  if (view.from !== null) params.set("from", String(view.from));
  if (view.to !== null) params.set("to", String(view.to));
  const text = params.toString().replaceAll("%2C", ",");
  return text ? `?${text}` : "";
}

export function clocksOf(view: Pick<RunView, "clock">): Clock[] {
  return view.clock === "both" ? ["corrected", "service"] : [view.clock];
}

/** The zoom period clamped to the planned run: [from, to) in whole seconds, never empty. */
export function zoomOf(
  view: Pick<RunView, "from" | "to">,
  plannedSeconds: number,
): { from: number; to: number } {
  const end = Math.max(1, plannedSeconds);
  const from = Math.min(view.from ?? 0, end - 1);
  const to = Math.max(from + 1, Math.min(view.to ?? end, end));
  return { from, to };
}

/** The selected targets in run order (unknown names dropped; all when none of them is known). */
export function selectedTargets(view: Pick<RunView, "targets">, all: readonly string[]): string[] {
  const chosen = all.filter((name) => view.targets?.includes(name));
  return chosen.length ? chosen : [...all];
}
