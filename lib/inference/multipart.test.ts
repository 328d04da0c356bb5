// The multipart parser against the platform's own: bodies encoded by the Fetch API's FormData
// come back identical, and malformed bodies are 400s with code invalid_multipart.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import { multipartBoundary, parseMultipart } from "./multipart";

async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(form);
  return {
    body: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get("content-type") as string,
  };
}

const rejects = (body: string | Buffer, contentType = "multipart/form-data; boundary=XyZ") =>
  assert.throws(
    () => parseMultipart(Buffer.isBuffer(body) ? body : Buffer.from(body), contentType),
    (error: unknown) =>
      error instanceof AppError && error.code === "invalid_multipart" && error.status === 400,
  );

describe("parseMultipart", () => {
  it("reads what FormData encodes: files with their names and types, text fields in UTF-8", async () => {
    const random = createRandom("multipart");
    for (let trial = 0; trial < 50; trial += 1) {
      const image = new Uint8Array(random.int(0, 4000)).map(() => random.int(0, 255));
      const prompt = `What does it say? ${"ünïcødé ✓ \r\n -- ".repeat(random.int(0, 3))}`;
      const form = new FormData();
      form.append("image", new Blob([image], { type: "image/png" }), `photo-${trial}.png`);
      form.append("prompt", prompt);
      const { body, contentType } = await encode(form);
      const parts = parseMultipart(body, contentType);
      assert.equal(parts.length, 2);
      assert.deepEqual([...(parts[0]?.data ?? [])], [...image]);
      assert.equal(parts[0]?.name, "image");
      assert.equal(parts[0]?.filename, `photo-${trial}.png`);
      assert.equal(parts[0]?.contentType, "image/png");
      assert.equal(parts[1]?.data.toString("utf8"), prompt);
      assert.equal(parts[1]?.filename, undefined);
    }
  });

  it("takes quoted boundaries, preambles and epilogues", () => {
    const body =
      'preamble\r\n--a"b\r\nContent-Disposition: form-data; name="x"\r\n\r\nhello\r\n--a"b--\r\nepilogue';
    assert.throws(() => parseMultipart(Buffer.from(body), 'multipart/form-data; boundary="a"b"'));
    const ok = "ignored\r\n--q q\r\nContent-Disposition: form-data; name=x\r\n\r\nhello\r\n--q q--\r\n";
    const parts = parseMultipart(Buffer.from(ok), 'multipart/form-data; boundary="q q"');
    assert.equal(parts[0]?.data.toString(), "hello");
    assert.equal(multipartBoundary("multipart/form-data; charset=utf-8; boundary=AbC"), "AbC");
  });

  it("refuses what it cannot parse exactly", () => {
    rejects("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nno end", undefined);
    rejects("no boundary anywhere");
    rejects("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n", undefined);
    rejects("--XyZ\nContent-Disposition: form-data; name=a\n\nLF only\n--XyZ--");
    rejects("--XyZ\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--XyZ--");
    rejects("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--");
    rejects("--XyZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XyZ--");
    rejects("--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--");
    rejects("--XyZ--", "multipart/form-data");
  });

  it("ends at the closing delimiter, with no parts for an empty form", () => {
    assert.deepEqual(parseMultipart(Buffer.from("--XyZ--\r\n"), "multipart/form-data; boundary=XyZ"), []);
  });
});
