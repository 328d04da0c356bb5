// slow_close: data passes unchanged; when the source of this direction ends, the close is passed
// on only after `delay` ms.
import { after } from "../timers";
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { Chunk, StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class SlowCloseRunner extends BaseRunner {
  constructor(
    stub: StubHandle,
    private readonly delayMs: number,
  ) {
    super(stub);
  }

  protected override onChunk(chunk: Chunk): void {
    this.stub.emit(chunk);
  }

  protected override drained(): void {
    if (this.stub.atEnd() && this.timer === undefined) {
      this.timer = after(this.delayMs, () => this.stub.close());
    }
  }
}

export const slowCloseToxic: ToxicDefinition = {
  type: "slow_close",
  goName: "SlowCloseToxic",
  fields: ["delay"],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub, attributes: ToxicAttributes) => new SlowCloseRunner(stub, attributes.delay ?? 0),
};
