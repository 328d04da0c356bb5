import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exactMatch, exactMatchLoose } from "./exact-match";

describe("exactMatch", () => {
  it("ignores only surrounding whitespace", () => {
    assert.equal(exactMatch("  Invoice 42\n", "Invoice 42"), true);
    assert.equal(exactMatch("invoice 42", "Invoice 42"), false);
    assert.equal(exactMatch("Invoice42", "Invoice 42"), false);
    assert.equal(exactMatch("caf\u0065\u0301", "caf\u00e9"), true);
    assert.equal(exactMatch("", "  "), true);
  });
});

describe("exactMatchLoose", () => {
  it("ignores case and every whitespace, as PP-OCRv4 drops spaces under blur", () => {
    assert.equal(exactMatchLoose("TOTALDUE:$12.50", "Total due: $12.50"), true);
    assert.equal(exactMatchLoose("total\tdue", " Total  Due "), true);
    assert.equal(exactMatchLoose("Total due $12.50", "Total due: $12.50"), false);
    assert.equal(exactMatchLoose("Total due: $12.5", "Total due: $12.50"), false);
  });
});
