// `npm run bench`: every benchmark, one after the other. Each prints its own figures and ratios.
import { benchChaos } from "./chaos";
import { benchDbIngest } from "./db-ingest";
import { benchInfer } from "./infer";

const benches: Record<string, () => Promise<void>> = {
  db: benchDbIngest,
  infer: benchInfer,
  chaos: benchChaos,
};

const wanted = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (wanted && wanted !== name) continue;
  console.log(`\n━━ bench:${name} ━━`);
  await run();
}
