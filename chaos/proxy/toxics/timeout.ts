// timeout: discards every chunk of its direction. With timeout > 0 it closes the connection after
// `timeout` ms without a chunk (the timer restarts on every chunk and on every stub restart); with 0
// it never closes by itself. Removing it closes the connection, even where toxicity skipped it.
import { after } from "../timers";
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class TimeoutRunner extends BaseRunner {
  constructor(
    stub: StubHandle,
    private readonly timeoutMs: number,
  ) {
    super(stub);
    this.arm();
  }

  /** Every chunk is discarded and restarts the wait. */
  protected override onChunk(): void {
    this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    if (this.timeoutMs > 0) this.timer = after(this.timeoutMs, () => this.stub.close());
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
