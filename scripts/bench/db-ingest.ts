// bench:db — how fast one-second windows reach PostgreSQL: Prisma createMany (the ORM path)
// against one multi-row INSERT built from arrays (unnest), into the real `windows` table of a
// freshly migrated database. Prints rows/s and their ratio, measured in the same run.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createPrismaClient } from "../../lib/db/prisma";
import { createTestDatabase } from "../../testing/database";
import { withBenchServer } from "./server";
import { median } from "./stats";

const ROWS = Number(process.argv.find((arg) => arg.startsWith("--rows="))?.slice("--rows=".length) ?? 20_000);
if (!Number.isInteger(ROWS) || ROWS <= 0) throw new Error("--rows= takes a whole number of windows");
const BATCH = 1_000;
const REPEATS = 3;

interface WindowRow {
  armId: string;
  second: number;
  ok: number;
  latencyHistogram: Uint8Array<ArrayBuffer>;
  serviceHistogram: Uint8Array<ArrayBuffer>;
}

function makeRows(armId: string, count: number): WindowRow[] {
  // ~300 bytes: the size of a compressed HDR histogram of a busy second.
  const histogram = new Uint8Array(300).map((_, i) => (i * 31) % 251);
  return Array.from({ length: count }, (_, second) => ({
    armId,
    second,
    ok: 50,
    latencyHistogram: histogram,
    serviceHistogram: histogram,
  }));
}

/** A run with one arm to hang benchmark windows on; returns the arm id. */
export async function seedArm(url: string): Promise<string> {
  const prisma = createPrismaClient(url, 2);
  const experiment = await prisma.experiment.create({ data: { name: `bench-${randomUUID()}` } });
  const version = await prisma.experimentVersion.create({
    data: { experimentId: experiment.id, version: 1, spec: {}, specSha256: "0".repeat(64) },
  });
  const run = await prisma.run.create({
    data: { experimentId: experiment.id, experimentVersionId: version.id, trigger: "cli", seed: 1n },
  });
  const arm = await prisma.runArm.create({ data: { runId: run.id, label: "bench" } });
  await prisma.$disconnect();
  return arm.id;
}

async function viaCreateMany(url: string, rows: WindowRow[]): Promise<number> {
  const prisma = createPrismaClient(url, 2);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    await prisma.window.createMany({
      data: rows.slice(i, i + BATCH).map((row) => ({ ...row, phase: "steady" })),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await prisma.$disconnect();
  return rows.length / seconds;
}

async function viaUnnestInsert(url: string, rows: WindowRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await client.query(
      `insert into windows (arm_id, phase, second, ok, latency_histogram, service_histogram)
       select * from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::bytea[], $6::bytea[])`,
      [
        batch.map((r) => r.armId),
        batch.map(() => "steady"),
        batch.map((r) => r.second),
        batch.map((r) => r.ok),
        batch.map((r) => Buffer.from(r.latencyHistogram)),
        batch.map((r) => Buffer.from(r.serviceHistogram)),
      ],
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return rows.length / seconds;
}

export async function benchDbIngest(): Promise<void> {
  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench" });
    try {
      const prismaRates: number[] = [];
      const insertRates: number[] = [];
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        prismaRates.push(await viaCreateMany(database.url, makeRows(await seedArm(database.url), ROWS)));
        insertRates.push(await viaUnnestInsert(database.url, makeRows(await seedArm(database.url), ROWS)));
        console.log(
          `  repeat ${repeat + 1}/${REPEATS}: createMany ${Math.round(prismaRates.at(-1) ?? 0)} rows/s, ` +
            `unnest INSERT ${Math.round(insertRates.at(-1) ?? 0)} rows/s`,
        );
      }
      const prismaMedian = median(prismaRates);
      const insertMedian = median(insertRates);
      console.log(`\nbench:db — ${ROWS} windows × ${REPEATS} repeats, batches of ${BATCH}, medians`);
      console.log(`  Prisma createMany   ${Math.round(prismaMedian).toLocaleString("en")} rows/s`);
      console.log(`  unnest INSERT       ${Math.round(insertMedian).toLocaleString("en")} rows/s`);
      console.log(
        `  ratio               ${(insertMedian / prismaMedian).toFixed(1)}× in favour of unnest INSERT`,
      );
    } finally {
      await database.drop();
    }
  });
}
