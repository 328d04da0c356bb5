// limit_data: forwards at most `bytes` in its direction, truncating the chunk that crosses the
// limit, then closes the connection. The count is per connection and survives updates and restarts.
import type { ToxicAttributes } from "../types";
import type { StubHandle, ToxicDefinition, ToxicRunner } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class LimitDataRunner implements ToxicRunner {
  private active = true;

  constructor(
    private readonly stub: StubHandle,
    private readonly limitBytes: number,
  ) {}

  pump(): void {
    const state = this.stub.state;
    while (this.active) {
      const chunk = this.stub.take();
      if (chunk === undefined) {
        if (this.stub.atEnd()) this.stub.close();
        return;
      }
      const sent = state.bytesTransmitted ?? 0;
      const remaining = Math.max(0, this.limitBytes - sent);
      const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
      if (data.length > 0) {
        state.bytesTransmitted = sent + data.length;
        this.stub.emit({ data, timestamp: chunk.timestamp });
      }
      if (this.limitBytes - (state.bytesTransmitted ?? 0) <= 0) {
        this.stub.close();
        return;
      }
    }
  }

  interrupt(): boolean {
    this.active = false;
    return true;
  }

  dispose(): void {
    this.active = false;
  }

  heldBytes(): number {
    return 0;
  }
}

export const limitDataToxic: ToxicDefinition = {
  type: "limit_data",
  goName: "LimitDataToxic",
  fields: ["bytes"],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub, attributes: ToxicAttributes) => new LimitDataRunner(stub, attributes.bytes ?? 0),
};
