// Accuracy by corruption for the Models page: for each dataset × corruption, one row per model
// with its accuracy at each severity (the clean set is severity 0) and the mean over the
// corrupted severities, from the latest `npm run eval` results. A cell never evaluated is null.
export interface RobustnessResult {
  model: string;
  dataset: string;
  corruption: string;
  severity: number;
  accuracy: number;
  items: number;
}

export interface RobustnessTable {
  dataset: string;
  corruption: string;
  severities: number[];
  rows: Array<{ model: string; accuracy: Array<number | null>; meanCorrupted: number | null }>;
}

export function prepareRobustnessTables(results: readonly RobustnessResult[]): RobustnessTable[] {
  const clean = new Map<string, number>();
  for (const result of results) {
    if (result.corruption === "clean") clean.set(`${result.model}|${result.dataset}`, result.accuracy);
  }
  const groups = new Map<string, RobustnessResult[]>();
  for (const result of results) {
    if (result.corruption === "clean") continue;
    const key = `${result.dataset}|${result.corruption}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => {
      const [dataset, corruption] = key.split("|") as [string, string];
      const severities = [0, ...new Set(group.map((result) => result.severity))].sort((a, b) => a - b);
      const models = [...new Set(group.map((result) => result.model))].sort();
      return {
        dataset,
        corruption,
        severities,
        rows: models.map((model) => {
          const accuracy = severities.map((severity) =>
            severity === 0
              ? (clean.get(`${model}|${dataset}`) ?? null)
              : (group.find((result) => result.model === model && result.severity === severity)?.accuracy ??
                null),
          );
          const corrupted = accuracy.slice(1).filter((value): value is number => value !== null);
          return {
            model,
            accuracy,
            meanCorrupted: corrupted.length
              ? corrupted.reduce((sum, value) => sum + value, 0) / corrupted.length
              : null,
          };
        }),
      };
    });
}
