import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { parseInferRequest } from "../inference/infer-request";
import type { SendContext } from "./load-generator";
import {
  createChatSender,
  createHttpTransport,
  createInferSender,
  prepareChatItems,
  prepareInferItems,
  RUN_HEADER,
} from "./send-http";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const items = [
  { id: "one", text: "HELLO", prompt: "read it" },
  { id: "two", text: "WORLD" },
];
const toRequest = (item: (typeof items)[number]) => ({
  image: PNG,
  mimeType: "image/png",
  prompt: item.prompt,
});
const score = (item: (typeof items)[number], answer: string) => ({
  correct: answer === item.text,
  cer: answer === item.text ? 0 : 1,
});

function contextFor(marks: number[]): SendContext {
  return { arrival: 0, itemIndex: 0, intendedMs: 0, markSent: () => marks.push(performance.now()) };
}

describe("HTTP send helpers", () => {
  const seen: Seen[] = [];
  let reply: (seen: Seen) => { status: number; body: string } = () => ({ status: 200, body: "{}" });
  let server: http.Server;
  let base = "";

  before(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const entry = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        seen.push(entry);
        const { status, body } = reply(entry);
        response.writeHead(status, { "content-type": "application/json" });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test("Faultline infer: multipart body encoded once, run header, answer scored", async () => {
    const prepared = await prepareInferItems(items, toRequest);
    const sender = createInferSender({ baseUrl: base, runId: "run-42", serverTimeoutMs: 1500, score });
    reply = () => ({ status: 200, body: JSON.stringify({ answer: "HELLO", model: "m", timings: {} }) });
    const marks: number[] = [];
    try {
      const result = await sender.send(
        { name: "candidate", model: "ppocr v4" },
        prepared[0] as (typeof prepared)[number],
        new AbortController().signal,
        contextFor(marks),
      );
      assert.deepEqual(result, { status: 200, answer: "HELLO", scored: true, correct: true, cer: 0 });
      assert.equal(marks.length, 1, "the request reported when it left");
      const request = seen.at(-1) as Seen;
      assert.equal(request.method, "POST");
      assert.equal(request.url, "/api/v1/models/ppocr%20v4/infer");
      assert.equal(request.headers[RUN_HEADER], "run-42");
      assert.equal(request.headers["x-request-timeout-ms"], "1500");
      // The body is what the inference route parses: an `image` file and a `prompt` field.
      const form = await new Response(new Uint8Array(request.body), {
        headers: { "content-type": request.headers["content-type"] as string },
      }).formData();
      const image = form.get("image") as Blob;
      assert.deepEqual(Buffer.from(await image.arrayBuffer()), PNG);
      assert.equal(image.type, "image/png");
      assert.equal(form.get("prompt"), "read it");
      // And the inference route's own parser accepts it.
      const parsed = await parseInferRequest(
        new Request("http://x/", {
          method: "POST",
          headers: { "content-type": request.headers["content-type"] as string },
          body: new Uint8Array(request.body),
        }),
        { maxBodyBytes: 1 << 20, maxPromptChars: 100 },
      );
      assert.deepEqual(Buffer.from(parsed.imageBytes), PNG);
      assert.equal(parsed.prompt, "read it");

      // Wrong answers, missing answers and error statuses.
      reply = () => ({ status: 200, body: JSON.stringify({ answer: "HELO" }) });
      const item = prepared[1] as (typeof prepared)[number];
      const signal = new AbortController().signal;
      assert.deepEqual(await sender.send({ name: "m" }, item, signal, contextFor([])), {
        status: 200,
        answer: "HELO",
        scored: true,
        correct: false,
        cer: 1,
      });
      reply = () => ({ status: 200, body: "not json" });
      assert.deepEqual(await sender.send({ name: "m" }, item, signal, contextFor([])), {
        status: 200,
        scored: true,
        correct: false,
      });
      reply = () => ({ status: 503, body: JSON.stringify({ error: { code: "overloaded" } }) });
      assert.deepEqual(await sender.send({ name: "m" }, item, signal, contextFor([])), { status: 503 });
    } finally {
      sender.close();
    }
  });

  test("OpenAI chat completions: model per target, image as a data: URL, bearer key, answer from choices", async () => {
    const prepared = prepareChatItems(items, toRequest, { maxTokens: 32 });
    const sender = createChatSender({ url: `${base}/v1/chat/completions`, runId: "run-7", score });
    reply = () => ({
      status: 200,
      body: JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "HELLO" } }] }),
    });
    try {
      const external = {
        name: "qwen",
        model: "Qwen/Qwen2-VL-2B",
        url: `${base}/other/v1/chat/completions`,
        apiKey: "k",
      };
      const result = await sender.send(
        external,
        prepared[0] as (typeof prepared)[number],
        new AbortController().signal,
        contextFor([]),
      );
      assert.deepEqual(result, { status: 200, answer: "HELLO", scored: true, correct: true, cer: 0 });
      const request = seen.at(-1) as Seen;
      assert.equal(request.url, "/other/v1/chat/completions");
      assert.equal(request.headers.authorization, "Bearer k");
      assert.equal(request.headers["content-type"], "application/json");
      assert.equal(request.headers[RUN_HEADER], "run-7");
      const body = JSON.parse(request.body.toString("utf8"));
      assert.equal(body.model, "Qwen/Qwen2-VL-2B");
      assert.equal(body.max_tokens, 32);
      assert.deepEqual(body.messages, [
        {
          role: "user",
          content: [
            { type: "text", text: "read it" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
          ],
        },
      ]);
      // The same item to a built-in target: the sender's default URL, the target's name as model.
      await sender.send(
        { name: "ppocr-v4-rec" },
        prepared[0] as (typeof prepared)[number],
        new AbortController().signal,
        contextFor([]),
      );
      const builtIn = seen.at(-1) as Seen;
      assert.equal(builtIn.url, "/v1/chat/completions");
      assert.equal(builtIn.headers.authorization, undefined);
      assert.equal(JSON.parse(builtIn.body.toString("utf8")).model, "ppocr-v4-rec");
      // Content given as parts.
      reply = () => ({
        status: 200,
        body: JSON.stringify({ choices: [{ message: { content: [{ type: "text", text: "WORLD" }] } }] }),
      });
      const parts = await sender.send(
        { name: "m" },
        prepared[1] as (typeof prepared)[number],
        new AbortController().signal,
        contextFor([]),
      );
      assert.equal(parts.correct, true);
    } finally {
      sender.close();
    }
  });

  test("the transport gives up when aborted, and reports a connection's wait in its pool", async () => {
    const transport = createHttpTransport({ maxSockets: 1 });
    reply = () => ({ status: 200, body: "{}" });
    try {
      const controller = new AbortController();
      const hung = http.createServer(() => {});
      await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
      const url = new URL(`http://127.0.0.1:${(hung.address() as AddressInfo).port}/`);
      const pending = transport.request(url, "GET", {}, undefined, controller.signal);
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, { name: "AbortError" });
      hung.closeAllConnections();
      hung.close();

      // One socket: the second request gets its connection only after the first one's answer.
      reply = (request) => ({ status: 200, body: request.url });
      let firstDone = 0;
      let secondSent = 0;
      const first = transport
        .request(new URL(`${base}/first`), "GET", {}, undefined, new AbortController().signal)
        .then((response) => {
          firstDone = performance.now();
          return response;
        });
      const second = transport.request(
        new URL(`${base}/second`),
        "GET",
        {},
        undefined,
        new AbortController().signal,
        () => {
          secondSent = performance.now();
        },
      );
      const [a, b] = await Promise.all([first, second]);
      assert.equal(a.body.toString(), "/first");
      assert.equal(b.body.toString(), "/second");
      assert.ok(secondSent >= firstDone - 1, "sent once the only connection was free");
    } finally {
      transport.close();
    }
  });
});
