// bench:chaos — what the chaos layer costs when nothing is injected.
// (a) The inference route's handler with the fault wrapper and no active fault, against the same
//     handler without it, in one process on one model session (chaos-wrapper-child.ts), in
//     alternating blocks. Two server processes were tried first: their own speeds differed by up
//     to ±17 % (ONNX Runtime thread placement), far more than the wrapper could ever cost.
// (b) The embedded proxy with no toxics against a direct connection (./chaos-proxy.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../lib/env";
import { createTestDatabase } from "../../testing/database";
import { benchProxy } from "./chaos-proxy";
import { withBenchServer } from "./server";
import { formatMs, median, percentile } from "./stats";

const MODEL = "ppocr-v4-rec";

export async function benchChaos(): Promise<void> {
  await benchWrapper();
  await benchProxy();
}

export async function benchWrapper(): Promise<void> {
  await withBenchServer(async (serverUrl) => {
    const database = await createTestDatabase({ serverUrl, prefix: "faultline_bench_chaos" });
    try {
      const output = await runChild(database.url);
      const { latency, rates, callers, rounds, overheadNs } = JSON.parse(
        output.trim().split("\n").pop() as string,
      ) as {
        latency: Record<Side, number[]>;
        rates: Record<Side, number[]>;
        callers: number;
        rounds: number;
        overheadNs: number;
      };
      const roundRatios = rates.wrapped.map((rate, i) => rate / (rates.bare[i] as number));
      const line = (label: string, side: Side) =>
        console.log(
          `  ${label.padEnd(22)} p50 ${formatMs(median(latency[side])).padStart(8)}  p99 ${formatMs(percentile(latency[side], 99)).padStart(8)}  ${median(rates[side]).toFixed(1)} calls/s (${callers} callers)`,
        );
      console.log(
        `\nbench:chaos — (a) ${MODEL} inference route handler, no fault active, ${rounds} alternating rounds in one process`,
      );
      line("without the wrapper", "bare");
      line("with withChaos", "wrapped");
      const p50 = median(latency.wrapped) / median(latency.bare);
      const p99 = percentile(latency.wrapped, 99) / percentile(latency.bare, 99);
      console.log(`  with / without: p50 ${p50.toFixed(3)}, p99 ${p99.toFixed(3)}`);
      console.log(
        `  throughput with / without, per round: ${roundRatios.map((ratio) => ratio.toFixed(3)).join(" ")}`,
      );
      console.log(
        `  median throughput loss ${((1 - median(roundRatios)) * 100).toFixed(2)} % (target < 2 %)`,
      );
      const share = (overheadNs / 1e6 / median(latency.bare)) * 100;
      console.log(
        `  the wrapper alone, around a handler that does nothing: ${overheadNs.toFixed(0)} ns per call (${share.toFixed(4)} % of a call)`,
      );
    } finally {
      await database.drop();
    }
  });
}

type Side = "wrapped" | "bare";

function runChild(databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(projectRoot(), "scripts", "bench", "chaos-wrapper-child.ts")],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, FAULTLINE_MODELS: MODEL },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`the benchmark child exited with ${code}`)),
    );
  });
}
