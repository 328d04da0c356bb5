// The parts of the migration layout that need no database: folder names, which must read like
// the ones the Prisma CLI writes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MigrationError } from "./errors";
import { migrationTimestamp, normaliseMigrationName } from "./migrations-folder";

describe("normaliseMigrationName", () => {
  it("turns the names people type into snake_case", () => {
    assert.equal(normaliseMigrationName("init"), "init");
    assert.equal(normaliseMigrationName("addDatasetLicense"), "add_dataset_license");
    assert.equal(normaliseMigrationName("Add_Run_Index"), "add_run_index");
    assert.equal(normaliseMigrationName("HTTPTimeouts2"), "http_timeouts2");
    assert.equal(normaliseMigrationName("__trim__me__"), "trim_me");
  });

  it("rejects anything but letters, digits and underscores", () => {
    for (const name of ["", "add-license", "add license", "drop;table", "é", "___"]) {
      assert.throws(
        () => normaliseMigrationName(name),
        (error: unknown) => error instanceof MigrationError && error.code === "invalid_migration_name",
        name,
      );
    }
  });
});

describe("migrationTimestamp", () => {
  it("is the UTC yyyymmddhhmmss prefix Prisma gives migration folders", () => {
    assert.equal(migrationTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "20260102030405");
    assert.equal(migrationTimestamp(new Date("2026-12-31T23:59:59.999+02:00")), "20261231215959");
  });
});
