// Writing one-second windows (and per-request item rows) to PostgreSQL: one multi-row INSERT per batch built from arrays
// (unnest), ~8× Prisma's createMany (bench:db). Idempotent on (arm, phase, second), so a batch
// retried after a connection died mid-commit cannot count a second twice.
import type pg from "pg";
import type { ItemResultRecord } from "./item-results";
import type { WindowCounts } from "./windows";

/** A window row as the table stores it: counts, the histograms, and which arm and second. */
export interface WindowRecord extends WindowCounts {
  armId: string;
  phase: string;
  second: number;
  latencyHistogram: Buffer;
  serviceHistogram: Buffer;
  failedLatencyHistogram: Buffer | null;
  maxSendLagMs: number;
}

export async function insertWindows(
  client: pg.Pool | pg.PoolClient,
  rows: readonly WindowRecord[],
): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof WindowRecord>(key: K) => rows.map((row) => row[key]);
  await client.query(
    `insert into windows (arm_id, phase, second, ok, http_4xx, http_5xx, rejected_429, timeout,
       connection_error, overflow, correct, scored, latency_histogram, service_histogram, max_send_lag_ms,
       degraded, failed_latency_histogram)
     select * from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[],
       $7::int[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::bytea[], $14::bytea[],
       $15::float8[], $16::int[], $17::bytea[])
     on conflict (arm_id, phase, second) do nothing`,
    [
      column("armId"),
      column("phase"),
      column("second"),
      column("ok"),
      column("http4xx"),
      column("http5xx"),
      column("rejected429"),
      column("timeout"),
      column("connectionError"),
      column("overflow"),
      column("correct"),
      column("scored"),
      column("latencyHistogram"),
      column("serviceHistogram"),
      column("maxSendLagMs"),
      column("degraded"),
      column("failedLatencyHistogram"),
    ],
  );
}

/**
 * Per-request rows (item-results.ts), the same way: one INSERT from arrays, idempotent on
 * (arm, arrival), so a retried batch stores each request once.
 */
export async function insertItemResults(
  client: pg.Pool | pg.PoolClient,
  rows: readonly ItemResultRecord[],
): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof ItemResultRecord>(key: K) => rows.map((row) => row[key]);
  await client.query(
    `insert into item_results (run_id, arm_id, arrival, item_key, phase, second, outcome, latency_ms,
       answer, correct, served_by, error)
     select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::int[],
       $7::text[], $8::float8[], $9::text[], $10::bool[], $11::text[], $12::text[])
     on conflict (arm_id, arrival) do nothing`,
    [
      column("runId"),
      column("armId"),
      column("arrival"),
      column("itemKey"),
      column("phase"),
      column("second"),
      column("outcome"),
      column("latencyMs"),
      column("answer"),
      column("correct"),
      column("servedBy"),
      column("error"),
    ],
  );
}
