// `npm run bench`: every benchmark, one after the other. Each prints its own figures and ratios.
import { benchChaos } from "./chaos";
import { benchDashboard } from "./dashboard";
import { benchDbIngest } from "./db-ingest";
import { benchInfer } from "./infer";
import { benchRecorderIngest } from "./recorder-ingest";
import { benchRunner } from "./runner";

const benches: Record<string, () => Promise<void>> = {
  db: benchDbIngest,
  infer: benchInfer,
  chaos: benchChaos,
  runner: async () => {
    await benchRunner();
    await benchRecorderIngest();
  },
  dashboard: benchDashboard,
};

const wanted = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (wanted && wanted !== name) continue;
  console.log(`\n━━ bench:${name} ━━`);
  await run();
}
