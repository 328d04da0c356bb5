// The route × role matrix: every route file under app/ (found by scanning, so a new route without
// a row here fails) × every caller (nobody, a bad token, viewer, operator, admin API tokens and the
// bootstrap admin token), against the production web process. A caller below the route's role
// gets 401 (nobody) or 403 (too low); a caller at or above it gets past auth: 2xx, or a 4xx that
// is about the request (404 for the made-up id, 400 for the empty body, in the API's error
// shape), never 401/403 nor 5xx.
// The server runs with FAULTLINE_INFERENCE_AUTH=token so the inference API is checked too.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { projectRoot } from "../env";
import { type Role, roleAtLeast } from "./roles";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** public: anyone; inference: open by default, viewer with FAULTLINE_INFERENCE_AUTH=token (as here). */
type Access = Role | "public" | "inference";

/** THE DESIGN. A new route file needs a row; the lead adds it with the role it should have. */
const MATRIX: Record<string, Partial<Record<Method, Access>>> = {
  "/api/health": { GET: "public" },
  "/api/ready": { GET: "public" },
  "/api/metrics": { GET: "viewer" },
  "/api/v1/session": { GET: "public", POST: "public", DELETE: "public" },
  "/api/v1/tokens": { GET: "admin", POST: "admin" },
  "/api/v1/tokens/[id]": { DELETE: "admin" },
  "/api/v1/experiments": { GET: "viewer", POST: "operator" },
  "/api/v1/experiments/validate": { POST: "viewer" },
  "/api/v1/experiments/[id]": { GET: "viewer" },
  "/api/v1/experiments/[id]/runs": { POST: "operator" },
  "/api/v1/runs": { GET: "viewer" },
  "/api/v1/runs/[id]": { GET: "viewer" },
  "/api/v1/runs/[id]/events": { GET: "viewer" },
  "/api/v1/runs/[id]/report": { GET: "viewer" },
  "/api/v1/runs/[id]/series": { GET: "viewer" },
  "/api/v1/runs/[id]/items": { GET: "viewer" },
  "/api/v1/runs/[id]/abort": { POST: "operator" },
  "/api/v1/runs/[id]/rerun": { POST: "operator" },
  "/api/v1/faults": { GET: "viewer", POST: "operator" },
  "/api/v1/faults/[id]": { GET: "viewer", DELETE: "operator" },
  "/api/v1/faults/[id]/renew": { POST: "operator" },
  "/api/v1/faults/halt": { POST: "operator" },
  "/api/v1/faults/arm": { POST: "operator" },
  "/api/v1/schedules": { GET: "viewer", POST: "admin" },
  "/api/v1/schedules/[id]": { GET: "viewer", PATCH: "admin", DELETE: "admin" },
  "/api/v1/schedules/[id]/firings": { GET: "viewer" },
  "/api/v1/models": { GET: "inference" },
  "/api/v1/models/[name]": { GET: "inference" },
  "/api/v1/models/[name]/infer": { POST: "inference" },
  "/v1/chat/completions": { POST: "inference" },
};

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every route file under app/ as `/url/[param]` → the HTTP methods it exports. */
function discoverRoutes(appDir: string): Map<string, Method[]> {
  const routes = new Map<string, Method[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) {
        const segments = path
          .relative(appDir, dir)
          .split(path.sep)
          .filter((segment) => segment && !/^\(.*\)$/.test(segment));
        const source = readFileSync(full, "utf8");
        const methods = METHODS.filter((method) =>
          new RegExp(`export\\s+(const|(async\\s+)?function)\\s+${method}\\b`).test(source),
        );
        routes.set(`/${segments.join("/")}`, methods);
      }
    }
  };
  walk(appDir);
  return routes;
}

/**
 * A 4xx in the API's own error shape: the route handler answered it. (Next's HTML 404 for a
 * route missing from the build must not count as "got past auth".)
 */
function isRouteRefusal(status: number, text: string): boolean {
  if (status < 400 || status >= 500) return false;
  try {
    return typeof (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === "string";
  } catch {
    return false;
  }
}

describe("route × role matrix", () => {
  it("has a row for every route and method in app/, and none for routes that are gone", () => {
    const found = discoverRoutes(path.join(projectRoot(), "app"));
    const missing: string[] = [];
    for (const [route, methods] of found) {
      for (const method of methods) if (!MATRIX[route]?.[method]) missing.push(`${method} ${route}`);
    }
    const stale: string[] = [];
    for (const [route, methods] of Object.entries(MATRIX)) {
      for (const method of Object.keys(methods) as Method[]) {
        if (!found.get(route)?.includes(method)) stale.push(`${method} ${route}`);
      }
    }
    assert.deepEqual(
      { missing, stale },
      { missing: [], stale: [] },
      [
        missing.length
          ? `Routes with no row in MATRIX (lib/auth/routes.int.test.ts): add each with the role it needs:\n  ${missing.join("\n  ")}`
          : "",
        stale.length ? `MATRIX rows with no such route file or method:\n  ${stale.join("\n  ")}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  });

  describe("against the production web process", () => {
    let database: TestDatabase;
    let web: WebServer;
    const tokens: Record<Role, string> = { viewer: "", operator: "", admin: "" };

    before(async () => {
      database = await createTestDatabase({ prefix: "faultline_routes" });
      web = await startWebServer({
        DATABASE_URL: database.url,
        FAULTLINE_MODELS: "tesseract-eng-line",
        FAULTLINE_INFERENCE_AUTH: "token",
      });
      const client = createApiClient(web.url);
      for (const role of ["viewer", "operator", "admin"] as const) {
        const created = await client.call<{ token: string }>("POST", "/api/v1/tokens", {
          name: `matrix-${role}`,
          role,
        });
        assert.equal(created.status, 201, created.text);
        tokens[role] = created.body.token;
      }
    });

    after(async () => {
      await web?.stop();
      await database?.drop();
    });

    it("answers 401 / 403 / past-auth exactly as designed, for every caller", async (t) => {
      type Caller = { name: string; role: Role | null; authorization?: string };
      const callers: Caller[] = [
        { name: "none", role: null },
        { name: "bad token", role: null, authorization: `Bearer flt_abcdefgh_${"x".repeat(43)}` },
        { name: "viewer", role: "viewer", authorization: `Bearer ${tokens.viewer}` },
        { name: "operator", role: "operator", authorization: `Bearer ${tokens.operator}` },
        { name: "admin", role: "admin", authorization: `Bearer ${tokens.admin}` },
        { name: "bootstrap admin", role: "admin", authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      ];
      const found = discoverRoutes(path.join(projectRoot(), "app"));
      const wrong: string[] = [];
      let checked = 0;
      const statuses: string[] = [];
      for (const [route, methods] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
        for (const method of methods) {
          const access = MATRIX[route]?.[method];
          if (!access) continue; // the coverage test above names it
          const needed: Role | null = access === "public" ? null : access === "inference" ? "viewer" : access;
          const url = `${web.url}${route
            .replace("[id]", "00000000-0000-4000-8000-000000000000")
            .replace("[name]", "no-such-model")}`;
          for (const caller of callers) {
            const response = await fetch(url, {
              method,
              redirect: "manual",
              headers: {
                origin: web.url,
                ...(caller.authorization ? { authorization: caller.authorization } : {}),
                ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
              },
              body: method === "GET" || method === "DELETE" ? undefined : "{}",
            });
            const text = await response.text();
            checked++;
            const seen = `${method} ${route} → ${response.status}`;
            if (caller.name === "bootstrap admin") statuses.push(seen);
            const expected =
              needed === null
                ? "past auth"
                : caller.role === null
                  ? "401"
                  : roleAtLeast(caller.role, needed)
                    ? "past auth"
                    : "403";
            const ok =
              expected === "past auth"
                ? response.ok ||
                  (isRouteRefusal(response.status, text) &&
                    response.status !== 401 &&
                    response.status !== 403)
                : response.status === Number(expected) && isRouteRefusal(response.status, text);
            if (!ok) {
              wrong.push(
                `${method} ${route} as ${caller.name}: expected ${expected}, got ${response.status} ${text.slice(0, 160)}`,
              );
            }
          }
        }
      }
      t.diagnostic(`as admin: ${statuses.join(", ")}`);
      assert.ok(checked >= 150, `checked ${checked} route × caller pairs`);
      assert.deepEqual(wrong, [], `Route × role mismatches:\n  ${wrong.join("\n  ")}`);
    });

    it("answers malformed ids, queries and bodies on every route with a 4xx and a code, never a 5xx", async (t) => {
      const ids = ["not-a-uuid", "00000000-0000-4000-8000-000000000000", "%2e%2e%2f%2e%2e", "x".repeat(300)];
      const bodies = [
        "",
        "{",
        "null",
        "[]",
        '"text"',
        "12",
        '{"name":',
        "\u0000\u00ff\u0001",
        "{}".repeat(5000),
      ];
      const found = discoverRoutes(path.join(projectRoot(), "app"));
      const wrong: string[] = [];
      let sent = 0;
      for (const [route, methods] of found) {
        for (const method of methods) {
          const hasBody = method !== "GET" && method !== "DELETE";
          for (const id of ids) {
            const target = `${web.url}${route.replace("[id]", id).replace("[name]", id)}?limit=abc&cursor=%ff&run=${id}`;
            for (const body of hasBody ? bodies : [undefined]) {
              const response = await fetch(target, {
                method,
                redirect: "manual",
                headers: {
                  origin: web.url,
                  authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
                  ...(hasBody ? { "content-type": "application/json" } : {}),
                },
                body,
              });
              // Server-sent events stay open on success: read the status only.
              let text = "";
              if (response.headers.get("content-type")?.includes("event-stream"))
                await response.body?.cancel();
              else text = await response.text();
              sent++;
              const fine =
                response.status < 400 ? response.status < 500 : isRouteRefusal(response.status, text);
              if (!fine)
                wrong.push(
                  `${method} ${route} id=${id.slice(0, 20)} body=${JSON.stringify(body?.slice(0, 12))} → ${response.status} ${text.slice(0, 160)}`,
                );
            }
          }
        }
      }
      t.diagnostic(`${sent} malformed requests`);
      assert.deepEqual(wrong, [], `Answers that were not a 4xx with a code:\n  ${wrong.join("\n  ")}`);
      // Whatever the sweep did (it may halt chaos: halt ignores its body), the server is still up.
      assert.equal((await fetch(`${web.url}/api/health`)).status, 200);
    });

    it("never writes a token to the server's output", () => {
      const output = web.output();
      for (const token of [TEST_ADMIN_TOKEN, ...Object.values(tokens)]) {
        assert.ok(token.length > 20);
        assert.ok(!output.includes(token), "a token appeared in the server output");
        assert.ok(!output.includes(token.slice(13)), "a token's secret part appeared in the server output");
      }
    });
  });
});
