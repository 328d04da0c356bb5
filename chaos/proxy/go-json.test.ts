import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFirstValue, decodeStruct, encodeJson, parseFloat32, parseInt64 } from "./go-json";

describe("decodeFirstValue (Go's json.Decoder)", () => {
  it("reads only the first value and ignores what follows", () => {
    assert.deepEqual(decodeFirstValue(' {"a":1} trailing {garbage'), {
      kind: "object",
      entries: [["a", { kind: "number", literal: "1" }]],
    });
  });

  it("words failures like Go: EOF, unexpected EOF, invalid character", () => {
    const message = (text: string) => {
      try {
        decodeFirstValue(text);
        return "decoded";
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.equal(message(""), "EOF");
    assert.equal(message("  \n"), "EOF");
    assert.equal(message('{"name":'), "unexpected EOF");
    assert.equal(message("nope"), "invalid character 'o' in literal null (expecting 'u')");
    assert.equal(message("x"), "invalid character 'x' looking for beginning of value");
    assert.equal(message('{"a" 1}'), "invalid character '1' after object key");
    assert.equal(message("[1 2]"), "invalid character '2' after array element");
  });

  it("keeps number literals so integer fields can refuse fractions and exponents", () => {
    assert.equal(parseInt64("100"), 100);
    assert.equal(parseInt64("-5"), -5);
    assert.equal(parseInt64("1.5"), undefined);
    assert.equal(parseInt64("1e2"), undefined);
    assert.equal(parseInt64("9223372036854775808"), undefined);
  });

  it("rounds float32 values and prints them in their shortest form", () => {
    assert.equal(parseFloat32("0.1"), 0.1);
    assert.equal(encodeJson({ toxicity: parseFloat32("0.30000001") }), '{"toxicity":0.3}');
    assert.equal(parseFloat32("1e39"), undefined);
  });
});

describe("decodeStruct", () => {
  it("matches keys case-insensitively, ignores unknown keys and nulls, and names type mismatches", () => {
    const into: Record<string, string | boolean | number | undefined> = { name: "", enabled: true };
    const fields = { name: "string", enabled: "bool" } as const;
    decodeStruct(
      decodeFirstValue('{"NAME":"a","enabled":null,"extra":[1]}'),
      "toxiproxy.Proxy",
      fields,
      into,
    );
    assert.deepEqual(into, { name: "a", enabled: true });
    assert.throws(
      () => decodeStruct(decodeFirstValue('{"name":5}'), "toxiproxy.Proxy", fields, into),
      /^Error: json: cannot unmarshal number into Go struct field Proxy.name of type string$/,
    );
    assert.throws(
      () => decodeStruct(decodeFirstValue("[]"), "toxiproxy.Proxy", fields, into),
      /cannot unmarshal array into Go value of type toxiproxy.Proxy/,
    );
  });

  it("escapes <, > and & like Go's encoder", () => {
    assert.equal(encodeJson({ name: "<a&b>" }), '{"name":"\\u003ca\\u0026b\\u003e"}');
  });
});
