// The contract between a link's stubs and the toxic types: a toxic type decodes its attributes and,
// per link and direction, runs as a runner that pulls chunks from its stub and pushes them on.
import type { z } from "zod";
import type { RandomSource, ToxicAttributes, ToxicType } from "../types";

/** One read from the source socket, stamped with performance.now() when the proxy read it. */
export interface Chunk {
  data: Buffer;
  timestamp: number;
}

/** What a runner sees of its stub (Go's ToxicStub): an input queue, an output and a close. */
export interface StubHandle {
  /** The next queued chunk, if any. */
  take(): Chunk | undefined;
  /** True once the source has ended and every queued chunk was taken. */
  atEnd(): boolean;
  emit(chunk: Chunk): void;
  /** Ends this direction: queued input is dropped, the output ends, and so the connection closes. */
  close(): void;
  readonly closed: boolean;
  /** Per-link state that survives restarts of the stub (limit_data's byte count). */
  readonly state: Record<string, number>;
  readonly random: RandomSource;
}

/** One running instance of a toxic on one stub; replaced whenever the stub restarts. */
export interface ToxicRunner {
  /** Input may be available: process as much as the toxic allows now. */
  pump(): void;
  /**
   * Stops the runner so the stub can be restarted or removed, releasing data it holds the way
   * Toxiproxy does. False when it cannot stop (a triggered reset_peer): the stub will close.
   */
  interrupt(): boolean;
  /** Cancels timers and forgets held data (the connection is being torn down). */
  dispose(): void;
  /** Bytes taken from the queue but not yet emitted (for back-pressure). */
  heldBytes(): number;
}

export interface ToxicDefinition {
  readonly type: ToxicType;
  /** The Go struct name, for decode error texts. */
  readonly goName: string;
  /** Attribute names, in the order the real server serialises them. */
  readonly fields: readonly string[];
  /** How much this toxic may hold per link before the source is paused. */
  readonly bufferBytes: number;
  /** Range rules beyond Toxiproxy's (values that crash the real server); the first issue is the 400 text. */
  readonly rules?: z.ZodType<ToxicAttributes>;
  /** Removing it closes every live connection of the proxy (timeout's Cleanup). */
  readonly closesLinkOnRemoval?: boolean;
  /** Present at accept, it makes every close of that connection a TCP RST (SO_LINGER 0). */
  readonly lingerZero?: boolean;
  run(stub: StubHandle, attributes: ToxicAttributes): ToxicRunner;
}

/** Default chunk budget for unbuffered toxics: Go's channels hold one chunk, so about one read. */
export const UNBUFFERED_BYTES = 64 * 1024;
