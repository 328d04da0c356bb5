// What the generator needs to know about one dataset: its manifest fields and how to build it.
import type { DatasetTask } from "../../lib/datasets/manifest";

export interface DatasetDefinition {
  name: string;
  task: DatasetTask;
  version: string;
  seed: number;
  description: string;
  /** Writes labels.jsonl and images/ into `dir` (which exists and is empty); returns the item count. */
  build(dir: string, onProgress: (done: number, total: number) => void): Promise<number>;
}
