import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AppliedMigration, checkReadiness, type ReadinessProbes } from "./readiness";

const files = [
  { name: "20260101000000_init", checksum: "a".repeat(64) },
  { name: "20260102000000_faults", checksum: "b".repeat(64) },
];

const applied = (name: string, checksum: string, finished = true): AppliedMigration => ({
  migration_name: name,
  checksum,
  finished_at: finished ? new Date() : null,
  rolled_back_at: null,
});

function probes(overrides: Partial<ReadinessProbes>): ReadinessProbes {
  return {
    pingDatabase: async () => {},
    listMigrationFiles: async () => files,
    listAppliedMigrations: async () => files.map((f) => applied(f.name, f.checksum)),
    listModels: async () => [
      { name: "ppocr-v4-rec", state: "loaded", error: null },
      { name: "tesseract-eng", state: "loaded", error: null },
    ],
    ...overrides,
  };
}

describe("checkReadiness", () => {
  it("is ready when the database answers and every migration is applied", async () => {
    const result = await checkReadiness(probes({}));
    assert.equal(result.ready, true);
    assert.deepEqual(
      result.checks.map((c) => [c.name, c.ok, c.detail]),
      [
        ["database", true, "reachable"],
        ["migrations", true, "2 applied, none pending"],
        ["models", true, "2 loaded"],
      ],
    );
  });

  it("names pending migrations and the command that applies them", async () => {
    const result = await checkReadiness(
      probes({ listAppliedMigrations: async () => [applied(files[0]!.name, files[0]!.checksum)] }),
    );
    assert.equal(result.ready, false);
    assert.match(result.checks[1]!.detail, /1 pending: 20260102000000_faults \(run npm run db:migrate\)/);
  });

  it("reports a migration edited after it was applied", async () => {
    const result = await checkReadiness(
      probes({ listAppliedMigrations: async () => files.map((f) => applied(f.name, "c".repeat(64))) }),
    );
    assert.equal(result.ready, false);
    assert.match(result.checks[1]!.detail, /modified after being applied/);
  });

  it("reports a failed migration left in the history", async () => {
    const result = await checkReadiness(
      probes({
        listAppliedMigrations: async () => [applied(files[0]!.name, files[0]!.checksum, false)],
      }),
    );
    assert.match(result.checks[1]!.detail, /failed migration in history: 20260101000000_init/);
  });

  it("skips the migration check when the database is down, and says why", async () => {
    const result = await checkReadiness(
      probes({
        pingDatabase: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        },
      }),
    );
    assert.equal(result.ready, false);
    assert.equal(result.checks[0]!.detail, "connect ECONNREFUSED 127.0.0.1:5432");
    assert.equal(result.checks[1]!.detail, "not checked: the database is unreachable");
  });

  it("is not ready while a model failed to load, and names it with the reason", async () => {
    const result = await checkReadiness(
      probes({
        listModels: async () => [
          { name: "ppocr-v4-rec", state: "loaded", error: null },
          { name: "ppocr-v4", state: "failed", error: "file not found" },
        ],
      }),
    );
    assert.equal(result.ready, false);
    assert.equal(result.checks[2]!.detail, "ppocr-v4 failed to load: file not found");
  });

  it("fails a check that does not answer in time instead of hanging", async () => {
    const result = await checkReadiness(probes({ pingDatabase: () => new Promise(() => {}) }), 50);
    assert.equal(result.ready, false);
    assert.equal(result.checks[0]!.detail, "no answer within 50 ms");
  });
});
