// Go encoding/json semantics as the Toxiproxy API exposes them: only the first JSON value of a body
// is read (trailing bytes are ignored), numbers keep their literal text so integer fields can refuse
// `1.5` and `1e2`, keys match struct fields case-insensitively, and errors read like Go's.

export type JsonValue =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; literal: string }
  | { kind: "string"; value: string }
  | { kind: "array"; items: JsonValue[] }
  | { kind: "object"; entries: Array<[string, JsonValue]> };

/** A decode failure; `message` is the Go decoder's text (e.g. `EOF`, `unexpected EOF`). */
export class JsonDecodeError extends Error {}

// Go allows 10 000 levels; a recursive parser in JS runs out of stack first, and no request nests deeply.
const MAX_DEPTH = 1000;

/** Parses the first JSON value of `text`, as `json.NewDecoder(body).Decode(&v)` does. */
export function decodeFirstValue(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipSpace();
  if (parser.atEnd()) throw new JsonDecodeError("EOF");
  return parser.value(0);
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (this.at < this.text.length) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.at += 1;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonDecodeError("exceeded max depth");
    this.skipSpace();
    const c = this.peek("looking for beginning of value");
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return { kind: "string", value: this.string() };
    if (c === "-" || (c >= "0" && c <= "9")) return { kind: "number", literal: this.number() };
    if (c === "t") return this.literal("true", { kind: "bool", value: true });
    if (c === "f") return this.literal("false", { kind: "bool", value: false });
    if (c === "n") return this.literal("null", { kind: "null" });
    throw this.invalid(c, "looking for beginning of value");
  }

  private peek(context: string): string {
    if (this.atEnd()) throw new JsonDecodeError("unexpected EOF");
    const c = this.text[this.at] as string;
    if (c.charCodeAt(0) < 0x20 && !/\s/.test(c)) throw this.invalid(c, context);
    return c;
  }

  private invalid(c: string, context: string): JsonDecodeError {
    const shown = c === "'" ? "\\'" : c === '"' ? '"' : c.charCodeAt(0) < 0x20 ? escapeControl(c) : c;
    return new JsonDecodeError(`invalid character '${shown}' ${context}`);
  }

  private object(depth: number): JsonValue {
    this.at += 1;
    const entries: Array<[string, JsonValue]> = [];
    this.skipSpace();
    if (this.peek("looking for beginning of object key string") === "}") {
      this.at += 1;
      return { kind: "object", entries };
    }
    for (;;) {
      this.skipSpace();
      const c = this.peek("looking for beginning of object key string");
      if (c !== '"') throw this.invalid(c, "looking for beginning of object key string");
      const key = this.string();
      this.skipSpace();
      const colon = this.peek("after object key");
      if (colon !== ":") throw this.invalid(colon, "after object key");
      this.at += 1;
      entries.push([key, this.value(depth + 1)]);
      this.skipSpace();
      const next = this.peek("after object key:value pair");
      this.at += 1;
      if (next === "}") return { kind: "object", entries };
      if (next !== ",") throw this.invalid(next, "after object key:value pair");
    }
  }

  private array(depth: number): JsonValue {
    this.at += 1;
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.peek("looking for beginning of value") === "]") {
      this.at += 1;
      return { kind: "array", items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.peek("after array element");
      this.at += 1;
      if (next === "]") return { kind: "array", items };
      if (next !== ",") throw this.invalid(next, "after array element");
    }
  }

  private literal(word: string, result: JsonValue): JsonValue {
    for (let i = 0; i < word.length; i += 1) {
      const c = this.peek(`in literal ${word} (expecting '${word[i]}')`);
      if (c !== word[i]) throw this.invalid(c, `in literal ${word} (expecting '${word[i]}')`);
      this.at += 1;
    }
    return result;
  }

  private number(): string {
    const start = this.at;
    const digits = () => {
      const from = this.at;
      while (!this.atEnd() && /[0-9]/.test(this.text[this.at] as string)) this.at += 1;
      return this.at - from;
    };
    if (this.text[this.at] === "-") this.at += 1;
    const first = this.peek("in numeric literal");
    if (first === "0") this.at += 1;
    else if (first >= "1" && first <= "9") digits();
    else throw this.invalid(first, "in numeric literal");
    if (this.text[this.at] === ".") {
      this.at += 1;
      const c = this.peek("after decimal point in numeric literal");
      if (digits() === 0) throw this.invalid(c, "after decimal point in numeric literal");
    }
    if (this.text[this.at] === "e" || this.text[this.at] === "E") {
      this.at += 1;
      if (this.text[this.at] === "+" || this.text[this.at] === "-") this.at += 1;
      const c = this.peek("in exponent of numeric literal");
      if (digits() === 0) throw this.invalid(c, "in exponent of numeric literal");
    }
    return this.text.slice(start, this.at);
  }

  private string(): string {
    this.at += 1;
    let out = "";
    let runStart = this.at;
    for (;;) {
      if (this.atEnd()) throw new JsonDecodeError("unexpected EOF");
      const code = this.text.charCodeAt(this.at);
      if (code === 0x22) {
        out += this.text.slice(runStart, this.at);
        this.at += 1;
        return out;
      }
      if (code < 0x20) throw this.invalid(this.text[this.at] as string, "in string literal");
      if (code !== 0x5c) {
        this.at += 1;
        continue;
      }
      out += this.text.slice(runStart, this.at);
      this.at += 1;
      const escaped = this.peek("in string escape code");
      this.at += 1;
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (escaped in simple) out += simple[escaped];
      else if (escaped === "u") {
        const hex = this.text.slice(this.at, this.at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          if (hex.length < 4) throw new JsonDecodeError("unexpected EOF");
          throw this.invalid(
            hex.replace(/^[0-9a-fA-F]*/, "")[0] as string,
            "in \\u hexadecimal character escape",
          );
        }
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.at += 4;
      } else throw this.invalid(escaped, "in string escape code");
      runStart = this.at;
    }
  }
}

function escapeControl(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/** The word Go uses for a JSON value's kind in "cannot unmarshal <kind> into …". */
export function kindName(value: JsonValue): string {
  return value.kind === "bool" ? "bool" : value.kind;
}

export type FieldType = "string" | "bool" | "int64" | "float32";

export type FieldValues = Record<string, string | boolean | number | undefined>;

/**
 * Decodes a JSON object into the named fields like Go decodes into a struct: keys match exactly or
 * case-insensitively, unknown keys and `null` values are ignored (the field keeps its current value),
 * and a value of the wrong type is an error naming `<goStruct>.<field>`.
 */
export function decodeStruct(
  value: JsonValue,
  goType: string,
  fields: Readonly<Record<string, FieldType>>,
  into: FieldValues,
  pathPrefix = goType.replace(/^.*\./, ""),
): void {
  if (value.kind === "null") return;
  if (value.kind !== "object") {
    throw new JsonDecodeError(`json: cannot unmarshal ${kindName(value)} into Go value of type ${goType}`);
  }
  const names = Object.keys(fields);
  for (const [key, item] of value.entries) {
    const field = names.find((name) => name === key) ?? names.find((name) => equalFold(name, key));
    if (field === undefined || item.kind === "null") continue;
    into[field] = decodeField(item, fields[field] as FieldType, `${pathPrefix}.${field}`);
  }
}

function decodeField(value: JsonValue, type: FieldType, path: string): string | boolean | number {
  const mismatch = (shown: string) =>
    new JsonDecodeError(`json: cannot unmarshal ${shown} into Go struct field ${path} of type ${type}`);
  switch (type) {
    case "string":
      if (value.kind !== "string") throw mismatch(kindName(value));
      return value.value;
    case "bool":
      if (value.kind !== "bool") throw mismatch(kindName(value));
      return value.value;
    case "int64": {
      if (value.kind !== "number") throw mismatch(kindName(value));
      const parsed = parseInt64(value.literal);
      if (parsed === undefined) throw mismatch(`number ${value.literal}`);
      return parsed;
    }
    case "float32": {
      if (value.kind !== "number") throw mismatch(kindName(value));
      const parsed = parseFloat32(value.literal);
      if (parsed === undefined) throw mismatch(`number ${value.literal}`);
      return parsed;
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An int64 literal (no fraction, no exponent, in range), or undefined. */
export function parseInt64(literal: string): number | undefined {
  if (!/^-?\d+$/.test(literal)) return undefined;
  const big = BigInt(literal);
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  return Number(big);
}

/** A float32 literal rounded like Go's ParseFloat(s, 32), in its shortest decimal form. */
export function parseFloat32(literal: string): number | undefined {
  const single = Math.fround(Number(literal));
  if (!Number.isFinite(single)) return undefined;
  return shortestFloat32(single);
}

/** The shortest decimal that rounds to the same float32 (what Go prints for a float32 field). */
export function shortestFloat32(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

function equalFold(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** JSON.stringify plus Go's HTML-safe escaping of <, >, & and the JS line separators. */
export function encodeJson(value: unknown): string {
  return escapeLikeGo(JSON.stringify(value));
}

export function escapeLikeGo(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
