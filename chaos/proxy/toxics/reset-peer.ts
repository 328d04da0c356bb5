// reset_peer: waits for the first chunk (or the end) of its direction, drops it, waits `timeout` ms
// and closes. Present when the connection was accepted, it makes that close a TCP RST on both
// sockets; added later, the close is an ordinary FIN. Once triggered, the wait cannot be cancelled.
import { after } from "../timers";
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class ResetPeerRunner extends BaseRunner {
  constructor(
    stub: StubHandle,
    private readonly timeoutMs: number,
  ) {
    super(stub);
  }

  /** Triggered: nothing more is taken. */
  protected override waiting(): boolean {
    return this.timer !== undefined;
  }

  /** The first chunk is dropped and triggers the reset. */
  protected override onChunk(): void {
    this.trigger();
  }

  protected override drained(): void {
    if (this.stub.atEnd()) this.trigger();
  }

  private trigger(): void {
    this.timer = after(this.timeoutMs, () => this.stub.close());
  }

  override interrupt(): boolean {
    // Toxiproxy's Pipe ignores interrupts during the wait: the connection closes regardless.
    if (this.timer !== undefined) return false;
    return super.interrupt();
  }
}

export const resetPeerToxic: ToxicDefinition = {
  type: "reset_peer",
  goName: "ResetToxic",
  fields: ["timeout"],
  bufferBytes: UNBUFFERED_BYTES,
  lingerZero: true,
  run: (stub, attributes: ToxicAttributes) => new ResetPeerRunner(stub, attributes.timeout ?? 0),
};
