// limit_data: forwards at most `bytes` in its direction, truncating the chunk that crosses the
// limit, then closes the connection. The count is per connection and survives updates and restarts.
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { Chunk, StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class LimitDataRunner extends BaseRunner {
  constructor(
    stub: StubHandle,
    private readonly limitBytes: number,
  ) {
    super(stub);
  }

  protected override onChunk(chunk: Chunk): void {
    const state = this.stub.state;
    const sent = state.bytesTransmitted ?? 0;
    const remaining = Math.max(0, this.limitBytes - sent);
    const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
    if (data.length > 0) {
      state.bytesTransmitted = sent + data.length;
      this.stub.emit({ data, timestamp: chunk.timestamp });
    }
    // Closing the stub disposes this runner, which ends the pump.
    if (this.limitBytes - (state.bytesTransmitted ?? 0) <= 0) this.stub.close();
  }
}

export const limitDataToxic: ToxicDefinition = {
  type: "limit_data",
  goName: "LimitDataToxic",
  fields: ["bytes"],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub, attributes: ToxicAttributes) => new LimitDataRunner(stub, attributes.bytes ?? 0),
};
