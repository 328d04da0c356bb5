// Request bodies of the Toxiproxy API, decoded with the real server's semantics (first JSON value
// only, unknown fields ignored, `null` keeps the default) and checked in its order, so every bad
// input maps to the same status and message (shared/specs/toxiproxy.md §1.3, §1.4).
import * as errors from "./errors";
import {
  decodeFirstValue,
  decodeStruct,
  type FieldType,
  JsonDecodeError,
  type JsonValue,
  kindName,
} from "./go-json";
import type { ToxicDefinition } from "./toxics/definition";
import { isToxicType, TOXICS } from "./toxics/index";
import type { Direction, ToxicAttributes, ToxicSpec, ToxicType } from "./types";

export interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

const PROXY_FIELDS: Record<string, FieldType> = {
  name: "string",
  listen: "string",
  upstream: "string",
  enabled: "bool",
};

/** Runs a Go-style decode; any decoder failure is `400 bad request body: <decoder text>`. */
function decoding<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof JsonDecodeError) throw errors.badRequestBody(error.message);
    throw error;
  }
}

/** POST /proxies: `enabled` defaults to true; name, then upstream, must be non-empty. */
export function readProxyCreate(body: string): ProxyInput {
  const input = { name: "", listen: "", upstream: "", enabled: true };
  decoding(() => decodeStruct(decodeFirstValue(body), "toxiproxy.Proxy", PROXY_FIELDS, input));
  if (input.name === "") throw errors.missingField("name");
  if (input.upstream === "") throw errors.missingField("upstream");
  return input;
}

/** POST|PATCH /proxies/{proxy}: missing fields keep the proxy's current values; `name` is ignored. */
export function readProxyUpdate(body: string, current: Omit<ProxyInput, "name">): Omit<ProxyInput, "name"> {
  const input = { name: "", ...current };
  decoding(() => decodeStruct(decodeFirstValue(body), "toxiproxy.Proxy", PROXY_FIELDS, input));
  return { listen: input.listen, upstream: input.upstream, enabled: input.enabled };
}

/** POST /populate: an array; every entry is checked before anything is created. */
export function readPopulate(body: string): ProxyInput[] {
  const value = decoding(() => decodeFirstValue(body));
  if (value.kind === "null") return [];
  if (value.kind !== "array") {
    throw errors.badRequestBody(
      `json: cannot unmarshal ${kindName(value)} into Go value of type []toxiproxy.Proxy`,
    );
  }
  const entries = value.items.map((item) => {
    const input: { name: string; listen: string; upstream: string; enabled?: boolean } = {
      name: "",
      listen: "",
      upstream: "",
    };
    decoding(() => decodeStruct(item, "toxiproxy.Proxy", PROXY_FIELDS, input));
    return input;
  });
  return entries.map((entry, index) => {
    if (entry.name === "") throw errors.missingField(`name at proxy ${index + 1}`);
    if (entry.upstream === "") throw errors.missingField(`upstream at proxy ${index + 1}`);
    return { ...entry, enabled: entry.enabled ?? true };
  });
}

export interface ToxicInput {
  name: string;
  type: ToxicType;
  stream: string;
  direction: Direction;
  toxicity: number;
  /** Every `attributes` value of the body, decoded later against the type's fields. */
  attributes: JsonValue[];
}

const TOXIC_FIELDS: Record<string, FieldType> = {
  name: "string",
  type: "string",
  stream: "string",
  toxicity: "float32",
};

/** The top-level `attributes` values of a body; anything but an object or null is a decode error. */
function attributeValues(value: JsonValue, goType: string): JsonValue[] {
  if (value.kind !== "object") return [];
  const found = value.entries.filter(([key]) => key.toLowerCase() === "attributes").map(([, item]) => item);
  for (const item of found) {
    if (item.kind !== "object" && item.kind !== "null") {
      throw new JsonDecodeError(
        `json: cannot unmarshal ${kindName(item)} into Go struct field ${goType}.attributes of type toxics.Toxic`,
      );
    }
  }
  return found;
}

/**
 * POST /proxies/{proxy}/toxics, steps 2–5 of §1.3.8: decode, stream, default name, type. The
 * caller checks the name is free (step 6), then decodes the attributes (step 7).
 */
export function readToxicCreate(body: string): ToxicInput {
  const input = { name: "", type: "", stream: "downstream", toxicity: 1 };
  const attributes = decoding(() => {
    const value = decodeFirstValue(body);
    decodeStruct(value, "toxics.ToxicWrapper", TOXIC_FIELDS, input);
    return attributeValues(value, "ToxicWrapper");
  });
  const direction = input.stream.toLowerCase();
  if (direction !== "upstream" && direction !== "downstream") throw errors.invalidStream();
  const name = input.name === "" ? `${input.type}_${input.stream}` : input.name;
  if (!isToxicType(input.type)) throw errors.invalidToxicType();
  return { name, type: input.type, stream: input.stream, direction, toxicity: input.toxicity, attributes };
}

/** Every attribute of the type at 0, in the order the real server prints them. */
export function zeroAttributes(definition: ToxicDefinition): ToxicAttributes {
  return Object.fromEntries(definition.fields.map((field) => [field, 0]));
}

/**
 * Decodes attribute objects over `base` (only the keys sent change), then applies the embedded
 * server's extra rules that refuse values which crash the real one.
 */
export function readToxicAttributes(
  definition: ToxicDefinition,
  values: readonly JsonValue[],
  base: ToxicAttributes,
): ToxicAttributes {
  const merged: Record<string, number> = { ...zeroAttributes(definition), ...base };
  const fields = Object.fromEntries(definition.fields.map((field) => [field, "int64" as const]));
  decoding(() => {
    for (const value of values) {
      decodeStruct(value, `toxics.${definition.goName}`, fields, merged, `${definition.goName}.attributes`);
    }
  });
  const checked = definition.rules?.safeParse(merged);
  if (checked !== undefined && !checked.success) {
    throw errors.invalidAttribute(checked.error.issues[0]?.message ?? "invalid attributes");
  }
  return merged;
}

/** POST|PATCH /proxies/{proxy}/toxics/{toxic}: attributes merge, toxicity optional; the rest is ignored. */
export function readToxicUpdate(
  body: string,
  current: ToxicSpec,
): Pick<ToxicSpec, "attributes" | "toxicity"> {
  const input = { toxicity: current.toxicity };
  const values = decoding(() => {
    const value = decodeFirstValue(body);
    decodeStruct(
      value,
      "struct { Attributes interface {}; Toxicity float32 }",
      { toxicity: "float32" },
      input,
    );
    return attributeValues(value, "struct { Attributes interface {}; Toxicity float32 }");
  });
  const attributes = readToxicAttributes(TOXICS[current.type], values, current.attributes);
  return { attributes, toxicity: input.toxicity };
}
