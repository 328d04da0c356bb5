// `abort`: send the status line, headers and part of the body, then destroy the connection.
import { z } from "zod";

export const AbortFault = z.strictObject({
  type: z.literal("abort"),
  /** Body bytes sent before the reset; half the body when absent. */
  afterBytes: z.number().int().min(0, "afterBytes must be 0 or more").optional(),
});
export type AbortFault = z.infer<typeof AbortFault>;

/** A copy of `response` whose body stops after some bytes with an error, so the connection is cut. */
export async function truncateResponse(response: Response, fault: AbortFault): Promise<Response> {
  const body = new Uint8Array(await response.arrayBuffer());
  const cut = Math.min(body.length, fault.afterBytes ?? Math.floor(body.length / 2));
  const headers = new Headers(response.headers);
  // The full length is announced, so a client can tell the body was cut short.
  headers.set("content-length", String(body.length));
  // The error comes on the read after the cut: erroring in start() would discard the queued part.
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (cut > 0) controller.enqueue(body.subarray(0, cut));
    },
    pull(controller) {
      controller.error(new Error("Connection aborted by a Faultline abort fault."));
    },
  });
  return new Response(stream, { status: response.status, headers });
}
