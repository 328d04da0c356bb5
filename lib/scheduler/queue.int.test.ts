// pg-boss on a fresh database, started by several processes at once (workers starting together,
// the web process creating a schedule's queue meanwhile): queue creation must not deadlock.
// Before queue DDL was serialised, three bosses starting at once failed with "deadlock detected"
// in most rounds.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type PgBoss from "pg-boss";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { ensureNotificationQueue, NOTIFY_QUEUE } from "../notify/notify";
import {
  PGBOSS_SEND_IT_QUEUE,
  RUN_QUEUE,
  removeScheduleJob,
  scheduleQueueName,
  startQueue,
  syncScheduleJob,
} from "./queue";

const ROUNDS = 4;
const BOSSES = 3;
const databases: TestDatabase[] = [];
const bosses: PgBoss[] = [];

after(async () => {
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true }).catch(() => {})));
  for (const database of databases) await database.drop();
});

/** What a worker does on start: pg-boss with cron, the notification queue, its schedules' queues. */
async function startLikeAWorker(databaseUrl: string, scheduleIds: string[]): Promise<PgBoss> {
  const boss = await startQueue(databaseUrl, () => {}, { cron: true });
  bosses.push(boss);
  await ensureNotificationQueue(boss);
  for (const id of scheduleIds)
    await syncScheduleJob(boss, { id, cron: "0 3 * * *", timezone: "UTC", enabled: true });
  return boss;
}

describe("pg-boss queues", () => {
  it("start on a fresh database from several processes at once without deadlocking", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const database = await createTestDatabase({ prefix: "faultline_queue_ddl", migrate: false });
      databases.push(database);
      const scheduleIds = [`round${round}-a`, `round${round}-b`];
      const started = await Promise.allSettled(
        Array.from({ length: BOSSES }, (_, index) =>
          // Each boss creates the schedule queues in a different order, as workers would.
          startLikeAWorker(database.url, index % 2 === 0 ? scheduleIds : [...scheduleIds].reverse()),
        ),
      );
      const failures = started.flatMap((result) =>
        result.status === "rejected" ? [String(result.reason)] : [],
      );
      assert.deepEqual(failures, [], `round ${round}`);

      const boss = (started[0] as PromiseFulfilledResult<PgBoss>).value;
      const queues = (await boss.getQueues()).map((queue) => queue.name).sort();
      assert.deepEqual(
        queues,
        [NOTIFY_QUEUE, PGBOSS_SEND_IT_QUEUE, RUN_QUEUE, ...scheduleIds.map(scheduleQueueName)].sort(),
      );
      // Deleting while others create is DDL on the same tables: serialised as well.
      await Promise.all([
        removeScheduleJob(boss, scheduleIds[0] as string),
        syncScheduleJob((started[1] as PromiseFulfilledResult<PgBoss>).value, {
          id: `round${round}-c`,
          cron: "0 4 * * *",
          timezone: "UTC",
          enabled: true,
        }),
      ]);
      const after = (await boss.getQueues()).map((queue) => queue.name);
      assert.ok(!after.includes(scheduleQueueName(scheduleIds[0] as string)));
      assert.ok(after.includes(scheduleQueueName(`round${round}-c`)));
    }
  });
});
