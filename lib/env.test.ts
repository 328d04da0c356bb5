import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv({});
    assert.equal(env.PORT, 3000);
    assert.equal(env.HOST, "127.0.0.1");
    assert.equal(env.FAULTLINE_DATA_DIR, ".data");
    assert.equal(env.EMBEDDED_PG_PORT, 54329);
    assert.equal(env.DATABASE_URL, undefined);
  });

  it("treats a blank DATABASE_URL as unset", () => {
    assert.equal(parseEnv({ DATABASE_URL: "  " }).DATABASE_URL, undefined);
  });

  it("accepts postgres:// and postgresql:// URLs", () => {
    assert.equal(parseEnv({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL, "postgres://u@h/db");
    assert.equal(
      parseEnv({ DATABASE_URL: "postgresql://u@h:5432/db" }).DATABASE_URL,
      "postgresql://u@h:5432/db",
    );
  });

  it("explains every bad value at once, naming the variable and what it got", () => {
    assert.throws(
      () =>
        parseEnv({
          DATABASE_URL: "mysql://user:hunter2@x",
          PORT: "eighty",
          EMBEDDED_PG_PORT: "70000",
          FAULTLINE_WEBHOOK_URL: "hooks.slack.com/services/T0/B0/secret",
        }),
      (error: unknown) => {
        assert.ok(error instanceof EnvError);
        assert.equal(error.problems.length, 4);
        // Secrets are named but never echoed.
        assert.match(
          error.message,
          /DATABASE_URL must be a PostgreSQL URL .* \(got a value \(not shown: it is a secret\)\)/,
        );
        assert.match(error.message, /FAULTLINE_WEBHOOK_URL .*not shown/);
        assert.ok(!error.message.includes("hunter2") && !error.message.includes('secret"'));
        assert.match(error.message, /PORT must be a number \(got "eighty"\)/);
        assert.match(error.message, /EMBEDDED_PG_PORT must be between 1 and 65535 \(got "70000"\)/);
        return true;
      },
    );
  });
});
