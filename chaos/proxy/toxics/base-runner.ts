// The lifecycle every toxic runner shares (the loop of Go's Pipe): while active and holding
// nothing, take the stub's next chunk and hand it to the toxic; once the queue is empty and the
// source has ended, close. interrupt() and dispose() stop the pending timer, then pass on or forget
// what is held. A toxic supplies `onChunk` and overrides only the hooks where it differs.
import type { Timer } from "../timers";
import type { Chunk, StubHandle, ToxicRunner } from "./definition";

export abstract class BaseRunner<Held = never> implements ToxicRunner {
  protected active = true;
  /** The runner's one pending timer, cancelled by interrupt() and dispose(). */
  protected timer: Timer | undefined;
  /** Taken from the queue but not yet passed on; by default no chunk is taken while it is set. */
  protected held: Held | undefined;

  constructor(protected readonly stub: StubHandle) {}

  pump(): void {
    while (this.active && !this.waiting()) {
      const chunk = this.stub.take();
      if (chunk === undefined) {
        this.drained();
        return;
      }
      this.onChunk(chunk);
    }
  }

  /** One chunk from the queue: emit it, hold it (in `held`, with a timer) or drop it. */
  protected abstract onChunk(chunk: Chunk): void;

  /** Whether pumping must stop until a timer fires: by default, while something is held. */
  protected waiting(): boolean {
    return this.held !== undefined;
  }

  /** The queue is empty: by default the direction closes once its source has ended. */
  protected drained(): void {
    if (this.stub.atEnd()) this.stub.close();
  }

  /** What interrupt() does with the held data (Toxiproxy passes it on); by default nothing. */
  protected release(_held: Held): void {}

  /** Bytes of the held data, for back-pressure. */
  protected sizeOf(_held: Held): number {
    return 0;
  }

  interrupt(): boolean {
    this.active = false;
    this.timer?.cancel();
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.release(held);
    return true;
  }

  dispose(): void {
    this.active = false;
    this.timer?.cancel();
    this.held = undefined;
  }

  heldBytes(): number {
    return this.held === undefined ? 0 : this.sizeOf(this.held);
  }
}
