// slow_close: data passes unchanged; when the source of this direction ends, the close is passed
// on only after `delay` ms.
import { after, type Timer } from "../timers";
import type { ToxicAttributes } from "../types";
import type { StubHandle, ToxicDefinition, ToxicRunner } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class SlowCloseRunner implements ToxicRunner {
  private active = true;
  private timer: Timer | undefined;

  constructor(
    private readonly stub: StubHandle,
    private readonly delayMs: number,
  ) {}

  pump(): void {
    while (this.active) {
      const chunk = this.stub.take();
      if (chunk !== undefined) {
        this.stub.emit(chunk);
        continue;
      }
      if (this.stub.atEnd() && this.timer === undefined) {
        this.timer = after(this.delayMs, () => this.stub.close());
      }
      return;
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

export const slowCloseToxic: ToxicDefinition = {
  type: "slow_close",
  goName: "SlowCloseToxic",
  fields: ["delay"],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub, attributes: ToxicAttributes) => new SlowCloseRunner(stub, attributes.delay ?? 0),
};
