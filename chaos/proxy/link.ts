// One direction of one proxied connection (Go's ToxicLink): source socket → chain of stubs →
// destination socket. With no toxic in its direction, reads go straight to the destination (the
// fast path); toxics can be added, updated and removed while the link runs.
import type net from "node:net";
import { Stub, type StubOutput } from "./stub";
import type { Chunk } from "./toxics/definition";
import { TOXICS } from "./toxics/index";
import type { Direction, RandomSource, ToxicSpec } from "./types";

export interface LinkHooks {
  /** The chain delivered its end: the destination must be closed once its writes are flushed. */
  destinationDone(link: Link): void;
}

export class Link {
  private stubs: Stub[] = [];
  private sourceEnded = false;
  private destinationGone = false;
  private writerEnded = false;
  private paused = false;
  private disposed = false;
  private readonly writer: StubOutput = {
    push: (chunk: Chunk) => this.write(chunk.data),
    end: () => {
      if (this.writerEnded) return;
      this.writerEnded = true;
      if (!this.disposed) this.hooks.destinationDone(this);
    },
  };

  constructor(
    readonly direction: Direction,
    readonly source: net.Socket,
    readonly destination: net.Socket,
    chain: readonly ToxicSpec[],
    private readonly random: RandomSource,
    private readonly hooks: LinkHooks,
  ) {
    let previous: Stub | undefined;
    for (const spec of chain) {
      const stub = new Stub(spec, this.writer, random);
      if (previous !== undefined) previous.output = stub;
      this.stubs.push(stub);
      previous = stub;
    }
  }

  start(): void {
    for (const stub of this.stubs) stub.start();
    this.source.on("data", this.onData);
    this.destination.on("drain", this.onDrain);
  }

  private readonly onData = (data: Buffer): void => {
    if (this.sourceEnded || this.writerEnded) return;
    const head = this.stubs[0];
    if (head === undefined) {
      // The fast path: no toxic in this direction, no copy, no timestamp.
      if (!this.destination.write(data) && !this.paused) {
        this.paused = true;
        this.source.pause();
      }
      return;
    }
    head.push({ data, timestamp: performance.now() });
    this.updateFlow();
  };

  private readonly onDrain = (): void => this.updateFlow();

  private write(data: Buffer): void {
    if (this.writerEnded || this.destinationGone || data.length === 0 || this.destination.destroyed) return;
    this.destination.write(data);
    this.updateFlow();
  }

  /** Pauses the source while the destination or the chain holds more than it should. */
  private updateFlow(): void {
    if (this.disposed || this.sourceEnded) return;
    let blocked = this.destination.writableNeedDrain;
    if (!blocked && this.stubs.length > 0) {
      let held = 0;
      let capacity = 0;
      for (const stub of this.stubs) {
        held += stub.bufferedBytes();
        capacity += TOXICS[stub.spec.type].bufferBytes;
      }
      blocked = held > capacity;
    }
    if (blocked === this.paused) return;
    this.paused = blocked;
    if (blocked) this.source.pause();
    else this.source.resume();
  }

  /** The source ended or was closed: flush the chain, then the destination closes (no half-close). */
  endSource(): void {
    if (this.sourceEnded) return;
    this.sourceEnded = true;
    // Keep reading (and discarding): unread bytes at close would turn the FIN into an RST.
    if (this.paused) {
      this.paused = false;
      this.source.resume();
    }
    (this.stubs[0] ?? this.writer).end();
  }

  /** The destination socket is closed: nothing more can be written to it. */
  destinationClosed(): void {
    this.destinationGone = true;
    this.writerEnded = true;
  }

  /** Appends a toxic; the previous tail restarts (and so re-rolls its toxicity), as in Toxiproxy. */
  addToxic(spec: ToxicSpec): void {
    if (this.disposed || this.writerEnded) return;
    const last = this.stubs.at(-1);
    const stub = new Stub(spec, this.writer, this.random);
    if (last !== undefined) {
      if (!last.interrupt()) return;
      last.output = stub;
    }
    this.stubs.push(stub);
    stub.start();
    last?.start();
    this.updateFlow();
  }

  /** Restarts the toxic's stub with the new values (toxicity re-rolled, per-link state kept). */
  updateToxic(spec: ToxicSpec): void {
    const stub = this.stubs.find((candidate) => candidate.name === spec.name);
    if (stub === undefined || !stub.interrupt()) return;
    stub.spec = spec;
    stub.start();
    this.updateFlow();
  }

  /**
   * Removes a toxic: what it holds is flushed onward, never dropped, and the stub before it
   * restarts. A timeout toxic instead closes the link (its Cleanup in Toxiproxy).
   */
  removeToxic(name: string): void {
    const index = this.stubs.findIndex((candidate) => candidate.name === name);
    const stub = this.stubs[index];
    if (stub === undefined || !stub.interrupt()) return;
    if (TOXICS[stub.spec.type].closesLinkOnRemoval) {
      stub.close();
      return;
    }
    const previous = this.stubs[index - 1];
    const previousStopped = previous?.interrupt() ?? false;
    stub.flush();
    this.stubs.splice(index, 1);
    if (previous !== undefined) {
      previous.output = stub.output;
      if (previousStopped) previous.start();
    }
    this.updateFlow();
  }

  /** Stops every timer and forgets held data; nothing more is written. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.writerEnded = true;
    for (const stub of this.stubs) stub.dispose();
    this.stubs = [];
    this.source.off("data", this.onData);
    this.destination.off("drain", this.onDrain);
  }
}
