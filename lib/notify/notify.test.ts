import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvError, parseEnv } from "../env";
import { fallbackWebhookOf, webUrlOf } from "./notify";

describe("notification settings", () => {
  it("has no global webhook unless FAULTLINE_WEBHOOK_URL is set; json unless told slack", () => {
    assert.equal(fallbackWebhookOf(parseEnv({})), null);
    assert.equal(fallbackWebhookOf(parseEnv({ FAULTLINE_WEBHOOK_URL: " " })), null);
    assert.deepEqual(fallbackWebhookOf(parseEnv({ FAULTLINE_WEBHOOK_URL: "https://hooks.example/x" })), {
      url: "https://hooks.example/x",
      format: "json",
    });
    assert.deepEqual(
      fallbackWebhookOf(
        parseEnv({
          FAULTLINE_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/K",
          FAULTLINE_WEBHOOK_FORMAT: "slack",
        }),
      ),
      { url: "https://hooks.slack.com/services/T/B/K", format: "slack" },
    );
  });

  it("refuses a webhook that is not http(s) and a format it does not know", () => {
    assert.throws(
      () => parseEnv({ FAULTLINE_WEBHOOK_URL: "ftp://example.com/hook", FAULTLINE_WEBHOOK_FORMAT: "teams" }),
      (error: unknown) => {
        assert.ok(error instanceof EnvError);
        assert.equal(error.problems.length, 2);
        assert.match(error.message, /FAULTLINE_WEBHOOK_URL must be an http\(s\) URL/);
        assert.match(error.message, /FAULTLINE_WEBHOOK_FORMAT/);
        return true;
      },
    );
  });

  it("links to FAULTLINE_WEB_URL, else to HOST:PORT", () => {
    assert.equal(webUrlOf(parseEnv({})), "http://127.0.0.1:3000");
    assert.equal(webUrlOf(parseEnv({ HOST: "0.0.0.0", PORT: "8080" })), "http://0.0.0.0:8080");
    assert.equal(
      webUrlOf(parseEnv({ FAULTLINE_WEB_URL: "https://faultline.example" })),
      "https://faultline.example",
    );
  });
});
