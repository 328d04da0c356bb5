// reset_peer: waits for the first chunk (or the end) of its direction, drops it, waits `timeout` ms
// and closes. Present when the connection was accepted, it makes that close a TCP RST on both
// sockets; added later, the close is an ordinary FIN. Once triggered, the wait cannot be cancelled.
import { after, type Timer } from "../timers";
import type { ToxicAttributes } from "../types";
import type { StubHandle, ToxicDefinition, ToxicRunner } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class ResetPeerRunner implements ToxicRunner {
  private active = true;
  private timer: Timer | undefined;

  constructor(
    private readonly stub: StubHandle,
    private readonly timeoutMs: number,
  ) {}

  pump(): void {
    if (!this.active || this.timer !== undefined) return;
    const chunk = this.stub.take();
    if (chunk === undefined && !this.stub.atEnd()) return;
    this.timer = after(this.timeoutMs, () => this.stub.close());
  }

  interrupt(): boolean {
    // Toxiproxy's Pipe ignores interrupts during the wait: the connection closes regardless.
    if (this.timer !== undefined) return false;
    this.active = false;
    return true;
  }

  dispose(): void {
    this.active = false;
    this.timer?.cancel();
  }

  heldBytes(): number {
    return 0;
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
