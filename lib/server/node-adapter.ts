// Node's http objects ⇄ the Fetch API objects the data-plane handlers speak. The request body
// streams (handlers enforce their own byte limits while reading it), and a client that hangs up
// aborts the request's signal.
import type { IncomingMessage, ServerResponse } from "node:http";

export function toWebRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const aborted = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    signal: aborted.signal,
    ...(hasBody ? { body: bodyStream(req, res), duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * The request body as a web stream with backpressure. Unlike Readable.toWeb, cancelling it (a
 * handler that answers 413 halfway through an upload) discards the rest instead of destroying
 * the socket, and so does answering without reading it: either way the keep-alive connection
 * stays usable and the client reads the answer rather than a reset.
 */
function bodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let cancelled = false;
  res.once("finish", () => {
    cancelled = true;
    req.resume();
  });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (cancelled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        if (!cancelled) controller.close();
      });
      req.once("error", (error) => {
        if (!cancelled) controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      cancelled = true;
      req.resume();
    },
  });
}

/**
 * Writes a Fetch Response to a Node response, streaming its body. A body that errors midway (the
 * abort fault) destroys the connection: the client sees a cut, not a 500.
 */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      res.write(value);
    }
  } catch {
    res.destroy();
    return;
  }
  res.end();
}
