// Schedules end to end: the API keeps pg-boss's schedule table in sync; pg-boss's cron fires a
// minutely schedule at two minute boundaries in a row, two real worker processes share the
// firings (each handled once) and execute the runs; with overlap `skip`, a run still going makes
// the next firing skip, recorded with that run's id. Takes 2–3 minutes (two minute boundaries).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type ApiBody, createApiClient } from "../../testing/api-client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startWebServer, TEST_ADMIN_TOKEN, type WebServer } from "../../testing/web-server";
import { type ScriptProcess, spawnWorker } from "../../testing/worker-process";
import { seedDatabase } from "../db/seed";
import { scheduleQueueName, startQueue, syncScheduleJob } from "./queue";
import { fireSchedule, reconcileScheduleJobs } from "./schedules-fire";

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let sql: pg.Pool;
let target: Server;
let targetUrl: string;
let web: WebServer;
const workers: ScriptProcess[] = [];

const workerOutput = () => workers.map((worker) => worker.output()).join("\n---\n");

const client = createApiClient(() => web.url);

/** As the bootstrap admin; `headers` replace the defaults (no token unless they carry one). */
function api<T = ApiBody>(method: string, route: string, body?: unknown, headers?: Record<string, string>) {
  return client.call<T>(method, route, body, headers ? { token: null, headers } : undefined);
}

/** A chat-completions endpoint that answers at once: the runs' target (the runs are not the point). */
function startTarget(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "faultline" } }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function spec(name: string, seconds: number) {
  return {
    name,
    targets: [{ name: "stub", model: "stub-model", role: "candidate", url: targetUrl }],
    dataset: { name: "textline-v1", limit: 10 },
    load: { arrival: "constant", rate: 2, maxInFlight: 4, timeoutMs: 2000, seed: 7 },
    phases: [{ name: "steady", durationSeconds: seconds }],
    hypothesis: [{ phase: "*", slos: ["success_rate>=0.5"] }],
  };
}

async function saveExperiment(specBody: unknown): Promise<string> {
  const saved = await api("POST", "/api/v1/experiments", specBody);
  assert.ok(saved.status === 201 || saved.status === 200, JSON.stringify(saved.body));
  return saved.body.experiment.id as string;
}

async function pgBossSchedule(scheduleId: string) {
  const { rows } = await sql.query<{ cron: string; timezone: string; data: { scheduleId: string } }>(
    "SELECT cron, timezone, data FROM pgboss.schedule WHERE name = $1",
    [`faultline-schedule-${scheduleId}`],
  );
  return rows[0];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(500);
  }
  assert.fail(`${what} did not happen within ${timeoutMs / 1000} s:\n${workerOutput().slice(-4000)}`);
}

before(async () => {
  database = await createTestDatabase({ prefix: "faultline_schedules" });
  await seedDatabase(database.url, { log: () => {} });
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  target = await startTarget();
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/v1/chat/completions`;
  web = await startWebServer({ DATABASE_URL: database.url, FAULTLINE_MODELS: "ppocr-v4-rec" });
  for (let index = 0; index < 2; index += 1) {
    workers.push(
      spawnWorker({
        DATABASE_URL: database.url,
        FAULTLINE_WEB_URL: web.url,
        FAULTLINE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      }),
    );
  }
});

after(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await web?.stop();
  await new Promise((resolve) => target?.close(resolve));
  await sql?.end();
  await database?.drop();
});

describe("the schedules API", () => {
  it("validates cron and time zone per field, and mirrors every change into pg-boss's schedule table", async () => {
    const experimentId = await saveExperiment(spec("api-checks", 2));

    assert.equal((await api("GET", "/api/v1/schedules", undefined, {} as typeof auth)).status, 401);
    const anonymous = await api("POST", "/api/v1/schedules", { experimentId, cron: "* * * * *" }, {
      "content-type": "application/json",
    } as typeof auth);
    assert.equal(anonymous.status, 401);

    const bad = await api("POST", "/api/v1/schedules", {
      experimentId,
      cron: "61 * * * *",
      timezone: "Mars/Olympus_Mons",
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_schedule");
    const fields = Object.fromEntries(
      (bad.body.error.details.issues as Array<{ path: string; message: string }>).map((issue) => [
        issue.path,
        issue.message,
      ]),
    );
    assert.match(fields.cron ?? "", /got value 61 expected range 0-59/);
    assert.match(fields.timezone ?? "", /not an IANA time zone/);
    const sixFields = await api("POST", "/api/v1/schedules", { experimentId, cron: "0 * * * * *" });
    assert.match(sixFields.body.error.message, /cron: must have 5 fields/);
    const unknown = await api("POST", "/api/v1/schedules", { experimentName: "nope", cron: "* * * * *" });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details.issues[0].path, "experimentName");

    const created = await api("POST", "/api/v1/schedules", {
      experimentName: "api-checks",
      cron: "0 3 * * 1",
      timezone: "Europe/Berlin",
      enabled: false,
      overlapPolicy: "queue",
      webhookUrl: "https://hooks.slack.com/services/T000/B000/secret",
      webhookFormat: "slack",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal(created.body.nextRunAt, null, "a disabled schedule has no next run");
    assert.equal(created.body.description, "Mondays at 03:00 Europe/Berlin");
    assert.equal(created.body.webhookUrl, "https://hooks.slack.com/services/T000/B000/secret");
    assert.equal(await pgBossSchedule(id), undefined, "disabled: not in pg-boss's schedule table");

    const enabled = await api("PATCH", `/api/v1/schedules/${id}`, { enabled: true });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    const next = new Date(enabled.body.nextRunAt as string);
    assert.equal(next.getUTCDay(), 1);
    assert.ok(
      [1, 2].includes(next.getUTCHours()),
      `03:00 Berlin is 01:00 or 02:00 UTC, not ${next.toISOString()}`,
    );
    assert.deepEqual(await pgBossSchedule(id), {
      cron: "0 3 * * 1",
      timezone: "Europe/Berlin",
      data: { scheduleId: id },
    });

    const refused = await api("PATCH", `/api/v1/schedules/${id}`, { cron: "0 3 * *" });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.details.issues[0].path, "cron");
    const moved = await api("PATCH", `/api/v1/schedules/${id}`, {
      cron: "30 4 * * *",
      timezone: "asia/tokyo",
    });
    assert.equal(moved.body.timezone, "Asia/Tokyo");
    assert.equal((await pgBossSchedule(id))?.timezone, "Asia/Tokyo");
    assert.equal((await pgBossSchedule(id))?.cron, "30 4 * * *");

    const listed = await api("GET", "/api/v1/schedules");
    assert.equal(listed.status, 200);
    assert.ok((listed.body.schedules as Array<{ id: string }>).some((schedule) => schedule.id === id));
    const one = await api("GET", `/api/v1/schedules/${id}`);
    assert.deepEqual(one.body.recentFirings, []);

    const disabled = await api("PATCH", `/api/v1/schedules/${id}`, { enabled: false });
    assert.equal(disabled.body.enabled, false);
    assert.equal(await pgBossSchedule(id), undefined, "disabled: unscheduled");

    assert.equal((await api("DELETE", `/api/v1/schedules/${id}`)).status, 200);
    assert.equal((await api("GET", `/api/v1/schedules/${id}`)).status, 404);
    const { rowCount } = await sql.query("SELECT 1 FROM pgboss.queue WHERE name = $1", [
      `faultline-schedule-${id}`,
    ]);
    assert.equal(rowCount, 0, "its pg-boss queue is gone");
    const audit = await sql.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE target = $1 ORDER BY at",
      [id],
    );
    assert.deepEqual(
      audit.rows.map((row) => row.action),
      ["schedule.create", "schedule.update", "schedule.update", "schedule.update", "schedule.delete"],
    );
  });
});

describe("a firing delivered twice", () => {
  it("is handled once: one firing row and one run, however many workers handle it at once", async () => {
    await saveExperiment(spec("delivered-twice", 1));
    const created = await api("POST", "/api/v1/schedules", {
      experimentName: "delivered-twice",
      cron: "0 0 1 1 *",
      overlapPolicy: "queue",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const slot = new Date(created.body.nextRunAt as string);
    const boss = await startQueue(database.url);
    try {
      // Two deliveries of the same job (pg-boss created it 3 s after the slot), handled concurrently.
      const job = { scheduleId: created.body.id as string, createdOn: new Date(slot.getTime() + 3000) };
      const results = await Promise.all([fireSchedule(sql, boss, job), fireSchedule(sql, boss, job)]);
      assert.deepEqual(results.map((result) => result.outcome).sort(), ["duplicate", "queued"]);
      assert.equal((await fireSchedule(sql, boss, job)).outcome, "duplicate", "and again later");
      const firings = await api("GET", `/api/v1/schedules/${created.body.id}/firings`);
      assert.equal(firings.body.firings.length, 1);
      assert.equal(firings.body.firings[0].dueAt, slot.toISOString());
      const runs = await sql.query("SELECT id FROM runs WHERE schedule_id = $1", [created.body.id]);
      assert.equal(runs.rowCount, 1);
      // A slot before the schedule's next run (pg-boss fires up to 60 s late) is not a firing.
      const early = await fireSchedule(sql, boss, {
        ...job,
        createdOn: new Date(slot.getTime() - 86_400_000),
      });
      assert.equal(early.outcome, "early");
    } finally {
      await boss.stop({ graceful: false }).catch(() => {});
      await api("DELETE", `/api/v1/schedules/${created.body.id}`);
    }
  });
});

describe("pg-boss out of step with the schedules table", () => {
  it("is repaired by a worker on start: lost schedules restored, leftovers of deleted ones dropped", async () => {
    await saveExperiment(spec("drifted", 1));
    const created = await api("POST", "/api/v1/schedules", { experimentName: "drifted", cron: "15 4 * * *" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const boss = await startQueue(database.url);
    try {
      // A web process that died between its two writes: a schedule pg-boss lost, and a deleted one it kept.
      await sql.query("DELETE FROM pgboss.schedule WHERE name = $1", [scheduleQueueName(created.body.id)]);
      const deleted = randomUUID();
      await syncScheduleJob(boss, { id: deleted, cron: "* * * * *", timezone: "UTC", enabled: true });
      const changed = await reconcileScheduleJobs(sql, boss);
      assert.deepEqual(changed.sort(), [`removed ${deleted}`, `scheduled ${created.body.id}`]);
      assert.equal((await pgBossSchedule(created.body.id))?.cron, "15 4 * * *");
      assert.equal(await pgBossSchedule(deleted), undefined);
      assert.deepEqual(await reconcileScheduleJobs(sql, boss), [], "in step: nothing to do");
    } finally {
      await boss.stop({ graceful: false }).catch(() => {});
      await api("DELETE", `/api/v1/schedules/${created.body.id}`);
    }
  });
});

describe("a schedule every minute", () => {
  it("fires on time twice in a row and runs; with overlap skip a long run skips the next firing", async () => {
    const shortId = await saveExperiment(spec("every-minute", 3));
    const longId = await saveExperiment(spec("long-drill", 150));
    // Workers look for new schedules every 5 s: start well before a minute boundary.
    while (new Date().getUTCSeconds() > 40) await sleep(500);
    const quick = await api("POST", "/api/v1/schedules", {
      experimentId: shortId,
      cron: "* * * * *",
      timezone: "America/New_York",
      overlapPolicy: "queue",
    });
    assert.equal(quick.status, 201, JSON.stringify(quick.body));
    const skipping = await api("POST", "/api/v1/schedules", {
      experimentId: longId,
      cron: "* * * * *",
      overlapPolicy: "skip",
    });
    assert.equal(skipping.status, 201, JSON.stringify(skipping.body));
    const firings = async (id: string) =>
      (await api("GET", `/api/v1/schedules/${id}/firings`)).body.firings as Array<{
        id: string;
        dueAt: string;
        firedAt: string;
        outcome: string;
        runId: string | null;
        runStatus: string | null;
        reason: string | null;
      }>;

    const quickFirings = await waitFor(
      "two firings of the minutely schedule",
      async () => {
        const list = await firings(quick.body.id);
        return list.length >= 2 ? list.slice(0, 2).reverse() : undefined;
      },
      150_000,
    );
    const [first, second] = quickFirings as [(typeof quickFirings)[0], (typeof quickFirings)[0]];
    const offsets = quickFirings.map(
      (firing) => (Date.parse(firing.firedAt) - Date.parse(firing.dueAt)) / 1000,
    );
    console.log(`firing offsets (s after the minute): ${offsets.map((s) => s.toFixed(3)).join(", ")}`);
    assert.equal(Date.parse(first.dueAt) % 60_000, 0, "due on a minute boundary");
    assert.equal(Date.parse(second.dueAt) - Date.parse(first.dueAt), 60_000, "two minutes in a row");
    for (const offset of offsets) assert.ok(offset >= 0 && offset < 10, `fired ${offset} s after the minute`);
    for (const firing of quickFirings) {
      assert.equal(firing.outcome, "queued", firing.reason ?? "");
      assert.ok(firing.runId);
    }

    // Its runs appear: queued by the schedule, executed by a worker.
    for (const firing of quickFirings) {
      const run = await waitFor(
        `run ${firing.runId} to finish`,
        async () => {
          const answer = await api("GET", `/api/v1/runs/${firing.runId}`);
          return ["passed", "failed", "errored", "aborted"].includes(answer.body.status)
            ? answer.body
            : undefined;
        },
        60_000,
      );
      assert.ok(["passed", "failed"].includes(run.status), `${run.status}: ${run.error}`);
      assert.equal(run.trigger, "schedule");
      assert.equal(run.scheduleId, quick.body.id);
    }

    // Overlap skip: the first firing queued the long run; the next one found it still going.
    const skipFirings = await waitFor(
      "two firings of the skip schedule",
      async () => {
        const list = await firings(skipping.body.id);
        return list.length >= 2 ? list.slice(0, 2).reverse() : undefined;
      },
      90_000,
    );
    const [queuedLong, skipped] = skipFirings as [(typeof skipFirings)[0], (typeof skipFirings)[0]];
    assert.equal(queuedLong.outcome, "queued");
    assert.ok(queuedLong.runId);
    assert.equal(skipped.outcome, "skipped");
    assert.equal(skipped.runId, null);
    assert.match(
      skipped.reason ?? "",
      new RegExp(`Run ${queuedLong.runId} of this experiment is still (queued|running)`),
    );
    assert.equal(Date.parse(skipped.dueAt) - Date.parse(queuedLong.dueAt), 60_000);

    // Stop the firings, then check that each due minute was handled once and queued one run.
    for (const id of [quick.body.id, skipping.body.id]) {
      assert.equal((await api("PATCH", `/api/v1/schedules/${id}`, { enabled: false })).status, 200);
    }
    const counts = await sql.query<{ firings: number; slots: number; runs: number; queued: number }>(
      `SELECT f.schedule_id, count(*)::int AS firings, count(DISTINCT f.due_at)::int AS slots,
              (SELECT count(*)::int FROM runs r WHERE r.schedule_id = f.schedule_id) AS runs,
              count(*) FILTER (WHERE f.outcome = 'queued')::int AS queued
       FROM schedule_firings f GROUP BY f.schedule_id`,
    );
    for (const row of counts.rows) {
      assert.equal(row.firings, row.slots, "one firing per due minute");
      assert.equal(row.runs, row.queued, "one run per queued firing");
    }
    const shown = await api("GET", `/api/v1/schedules/${quick.body.id}`);
    assert.equal(shown.body.recentFirings.length >= 2, true);
    assert.ok(Date.parse(shown.body.lastRunAt) >= Date.parse(second.firedAt) - 1);
    const page = await api("GET", `/api/v1/schedules/${quick.body.id}/firings?limit=1`);
    assert.equal(page.body.firings.length, 1);
    assert.ok(page.body.nextCursor);
    const older = await api(
      "GET",
      `/api/v1/schedules/${quick.body.id}/firings?limit=1&cursor=${page.body.nextCursor}`,
    );
    assert.equal(older.body.firings.length, 1);
    assert.ok(Date.parse(older.body.firings[0].dueAt) < Date.parse(page.body.firings[0].dueAt));

    // The long run is aborted; nothing of it is left running.
    const abort = await api("POST", `/api/v1/runs/${queuedLong.runId}/abort`);
    assert.equal(abort.status, 200, JSON.stringify(abort.body));
    const ended = await waitFor(
      "the long run to stop",
      async () => {
        const answer = await api("GET", `/api/v1/runs/${queuedLong.runId}`);
        return ["aborted", "errored", "passed", "failed"].includes(answer.body.status)
          ? answer.body
          : undefined;
      },
      30_000,
    );
    assert.equal(ended.status, "aborted", ended.error);
    console.log(
      workerOutput()
        .split("\n")
        .filter((line) => line.includes("[schedule]"))
        .join("\n"),
    );
  });
});
