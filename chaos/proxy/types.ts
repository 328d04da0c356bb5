// The shapes the Toxiproxy-compatible proxy shares between its API, its registry and its
// per-connection engine.

export type Direction = "upstream" | "downstream";

export const DIRECTIONS: readonly Direction[] = ["upstream", "downstream"];

export const TOXIC_TYPES = [
  "latency",
  "bandwidth",
  "slow_close",
  "timeout",
  "reset_peer",
  "slicer",
  "limit_data",
  "noop",
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

/** Integer attributes of one toxic, every field of its type present (missing ones are 0). */
export type ToxicAttributes = Readonly<Record<string, number>>;

/** One toxic as the API stores it: immutable, replaced as a whole on update. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: ToxicType;
  /** Exactly as the client sent it ("UPSTREAM" stays "UPSTREAM"); `direction` is the parsed form. */
  readonly stream: string;
  readonly direction: Direction;
  /** A float32 value, kept in its shortest decimal form so it serialises like Go. */
  readonly toxicity: number;
  readonly attributes: ToxicAttributes;
}

/** The injectable random source (kernel/random.ts `Random` satisfies it). */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}
