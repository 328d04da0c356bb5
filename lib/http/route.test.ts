import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { AppError } from "../../kernel/errors";

import { IdParams } from "./params";
import { route } from "./route";

// This process's bootstrap admin token (lib/auth/admin-token.ts keeps it on globalThis): checked
// without a database.
const ADMIN_TOKEN = "route-test-admin-token-0123456789";
(globalThis as { faultlineAdminToken?: Promise<unknown> }).faultlineAdminToken = Promise.resolve({
  token: ADMIN_TOKEN,
  created: false,
});

const ID = "5b0c9d3e-8a4f-4c1e-9f7a-2d6b8e0c1a3f";
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

function post(body: string | undefined, headers: Record<string, string> = admin, url = "http://x/api") {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

// biome-ignore lint/suspicious/noExplicitAny: error bodies, checked field by field
type Json = Record<string, any>;

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Json };
}

describe("the route wrapper", () => {
  const Body = z.strictObject({ seed: z.number().int().optional(), trigger: z.enum(["manual", "cli"]) });
  const handler = route(
    { role: "operator", params: IdParams, body: Body },
    async ({ params, body, actor }) => ({ id: params.id, body, actor }),
  );

  it("hands the handler typed params, body and the caller's name, and sends a value as JSON", async () => {
    const ok = await answer(await handler(post('{"trigger":"cli","seed":3}'), context({ id: ID })));
    assert.deepEqual(ok, {
      status: 200,
      body: { id: ID, body: { trigger: "cli", seed: 3 }, actor: "admin" },
    });
  });

  it("answers every zod issue in one 400 shape", async () => {
    const bad = await answer(await handler(post('{"trigger":"later","extra":1}'), context({ id: ID })));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_request");
    assert.match(bad.body.error.message, /^trigger: .+ \(and 1 more\)$/);
    assert.deepEqual(
      bad.body.error.details.issues.map((issue: { path: string }) => issue.path),
      ["trigger", "extra"],
    );
    const missing = await answer(await handler(post("{}"), context({ id: ID })));
    assert.equal(missing.body.error.message, "trigger: is required");
    const id = await answer(await handler(post('{"trigger":"cli"}'), context({ id: "not-a-uuid" })));
    assert.deepEqual(id, {
      status: 400,
      body: {
        error: {
          code: "invalid_request",
          message: "id: must be a UUID",
          details: { issues: [{ path: "id", message: "must be a UUID" }] },
        },
      },
    });
  });

  it("checks the role before it parses anything", async () => {
    const nobody = await answer(await handler(post("{", {}), context({ id: "not-a-uuid" })));
    assert.equal(nobody.status, 401);
    assert.equal(nobody.body.error.code, "unauthorized");
  });

  it("keeps invalid_json for a body that is not JSON, and reads an optional body as emptyBodyAs", async () => {
    const broken = await answer(await handler(post("{seed: 1"), context({ id: ID })));
    assert.deepEqual([broken.status, broken.body.error.code], [400, "invalid_json"]);
    const optional = route(
      { body: z.object({ n: z.number().default(1) }), emptyBodyAs: {} },
      async ({ body }) => body,
    );
    assert.deepEqual(await answer(await optional(post(""))), { status: 200, body: { n: 1 } });
    const tooLarge = route({ body: z.unknown(), maxBodyBytes: 8 }, async () => null);
    assert.equal((await tooLarge(post('{"a":"0123456789"}'))).status, 413);
  });

  it("lets a parser give its own codes, and reads text bodies", async () => {
    const coded = route(
      {
        body: (json: unknown) => {
          if (!Array.isArray(json)) throw new AppError("invalid_thing", "Send an array.", 400);
          return json.length;
        },
      },
      async ({ body }) => ({ length: body }),
    );
    assert.deepEqual(await answer(await coded(post("[1,2]"))), { status: 200, body: { length: 2 } });
    assert.equal((await answer(await coded(post("{}")))).body.error.code, "invalid_thing");
    const text = route({ body: { text: (value, type) => `${type}:${value}` } }, async ({ body }) => ({
      body,
    }));
    const yaml = await text(post("a: 1", { "content-type": "application/yaml" }));
    assert.deepEqual(await yaml.json(), { body: "application/yaml:a: 1" });
  });

  it("parses the query (first value of a name), and maps an AppError as lib/http does", async () => {
    const listed = route(
      { query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }) },
      async ({ query }) => {
        if (query.limit === 7) throw new AppError("too_many", "No.", 429, { retryAfterSeconds: 3 });
        return { limit: query.limit ?? null };
      },
    );
    const get = (search: string) => listed(new Request(`http://x/api${search}`));
    assert.deepEqual(await answer(await get("?limit=5&limit=9&__proto__=1")), {
      status: 200,
      body: { limit: 5 },
    });
    assert.equal((await answer(await get("?limit=abc"))).body.error.details.issues[0].path, "limit");
    const refused = await get("?limit=7");
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "3");
  });
});
