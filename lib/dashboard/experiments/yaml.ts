// A stored spec (canonical JSON, keys in PostgreSQL's jsonb order) written back as YAML a person
// can edit: keys in the order the shipped drills use, SLOs as one-line thresholds, and short list
// items on one line. Parsing the YAML gives the same spec (same sha256) back.
import { Document, isMap, isSeq, type Node } from "yaml";

const KEY_ORDER = [
  "name",
  "type",
  "when",
  "description",
  "version",
  "targets",
  "dataset",
  "load",
  "phases",
  "hypothesis",
  "stopConditions",
  "model",
  "role",
  "url",
  "headers",
  "limit",
  "corruptions",
  "corruption",
  "severity",
  "weight",
  "arrival",
  "rate",
  "rampTo",
  "durationSeconds",
  "maxInFlight",
  "timeoutMs",
  "seed",
  "counts",
  "faults",
  "proxy",
  "toxic",
  "stream",
  "toxicity",
  "attributes",
  "phase",
  "target",
  "slos",
  "overSeconds",
];

/** Collections inside a list whose JSON is at most this long go on one line. */
const FLOW_MAX_CHARS = 72;

export function specToYaml(spec: unknown): string {
  const document = new Document(arrange(spec, null));
  flowSmall(document.contents as Node | null, false);
  return document.toString({ lineWidth: 0 });
}

function arrange(value: unknown, parentKey: string | null): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => (parentKey === "slos" ? sloText(item) : arrange(item, null)));
  }
  if (typeof value !== "object" || value === null) return value;
  const rank = (key: string) => {
    const index = KEY_ORDER.indexOf(key);
    return index === -1 ? KEY_ORDER.length : index;
  };
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries.map(([key, item]) => [key, arrange(item, key)]));
}

/** `{ metric: "p(99)", target: "<250", tolerance: "<500" }` → `"p(99)<250 ~ <500"`, as written in the drills. */
function sloText(slo: unknown): unknown {
  if (typeof slo !== "object" || slo === null) return slo;
  const { metric, target, tolerance, ...rest } = slo as Record<string, unknown>;
  if (typeof metric !== "string" || typeof target !== "string" || Object.keys(rest).length > 0) return slo;
  if (tolerance !== undefined && typeof tolerance !== "string") return slo;
  return tolerance === undefined ? `${metric}${target}` : `${metric}${target} ~ ${tolerance}`;
}

function flowSmall(node: Node | null, insideList: boolean): void {
  if (isMap(node)) {
    if (insideList && fits(node)) {
      node.flow = true;
      return;
    }
    for (const pair of node.items) flowSmall(pair.value as Node | null, insideList);
  } else if (isSeq(node)) {
    if (insideList && fits(node)) {
      node.flow = true;
      return;
    }
    for (const item of node.items) flowSmall(item as Node | null, true);
  }
}

const fits = (node: Node) => (JSON.stringify(node.toJSON()) ?? "").length <= FLOW_MAX_CHARS;
