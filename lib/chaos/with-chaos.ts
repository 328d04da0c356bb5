// withChaos: the fault-injection wrapper around the inference routes. With no per-request fault
// active it costs one property read; otherwise it gives the handler the request's RequestChaos
// and finishes the response (fault header, aborted connections).

import { RUN_HEADER } from "../../chaos/run-header";
import { env } from "../env";
import { errorResponse } from "../http";
import { NO_CHAOS, RequestChaos } from "./request-chaos";
import { getChaosRuntime } from "./runtime";

export type ChaosHandler = (request: Request, chaos: RequestChaos) => Promise<Response>;

export function withChaos(handler: ChaosHandler): (request: Request) => Promise<Response> {
  if (env().FAULTLINE_CHAOS === "off") return (request) => handler(request, NO_CHAOS);
  return async (request) => {
    let runtime: Awaited<ReturnType<typeof getChaosRuntime>>;
    try {
      runtime = await getChaosRuntime();
    } catch (error) {
      return errorResponse(error);
    }
    if (runtime.idle) return handler(request, NO_CHAOS);
    const chaos = new RequestChaos(runtime, request.headers.get(RUN_HEADER) ?? undefined, request.signal);
    return chaos.finish(await handler(request, chaos));
  };
}
