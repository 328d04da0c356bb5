// timeout: discards every chunk of its direction. With timeout > 0 it closes the connection after
// `timeout` ms without a chunk (the timer restarts on every chunk and on every stub restart); with 0
// it never closes by itself. Removing it closes the connection, even where toxicity skipped it.
import { after, type Timer } from "../timers";
import type { ToxicAttributes } from "../types";
import type { StubHandle, ToxicDefinition, ToxicRunner } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class TimeoutRunner implements ToxicRunner {
  private active = true;
  private timer: Timer | undefined;

  constructor(
    private readonly stub: StubHandle,
    private readonly timeoutMs: number,
  ) {
    this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    if (this.timeoutMs > 0) this.timer = after(this.timeoutMs, () => this.stub.close());
  }

  pump(): void {
    while (this.active) {
      const chunk = this.stub.take();
      if (chunk === undefined) {
        if (this.stub.atEnd()) this.stub.close();
        return;
      }
      this.arm();
    }
  }

  interrupt(): boolean {
    this.active = false;
    this.timer?.cancel();
    return true;
  }

  dispose(): void {
    this.interrupt();
  }

  heldBytes(): number {
    return 0;
  }
}

export const timeoutToxic: ToxicDefinition = {
  type: "timeout",
  goName: "TimeoutToxic",
  fields: ["timeout"],
  bufferBytes: UNBUFFERED_BYTES,
  closesLinkOnRemoval: true,
  run: (stub, attributes: ToxicAttributes) => new TimeoutRunner(stub, attributes.timeout ?? 0),
};
