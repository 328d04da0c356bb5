// Read models for the spec editor: an experiment's current spec as YAML, and the shipped drills
// (experiments/*.yaml) offered as templates. Server-only; plain serialisable objects.
import { isUuid } from "../../http/params";
import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { db } from "../../db/client";
import { projectRoot } from "../../env";
import { specToYaml } from "./yaml";

export interface EditableExperiment {
  id: string;
  name: string;
  version: number;
  /** The current version's spec, written as YAML. */
  yaml: string;
  runs: number;
}

/** The experiment and its newest version; null when there is none with this id. */
export async function getEditableExperiment(id: string): Promise<EditableExperiment | null> {
  if (!isUuid(id)) return null;
  const experiment = await db().experiment.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { version: "desc" }, take: 1 },
      _count: { select: { runs: true } },
    },
  });
  const version = experiment?.versions[0];
  if (!experiment || !version) return null;
  return {
    id: experiment.id,
    name: experiment.name,
    version: version.version,
    yaml: specToYaml(version.spec),
    runs: experiment._count.runs,
  };
}

export interface SpecTemplate {
  /** The file's name without .yaml (the shipped drills are named after their files). */
  name: string;
  /** The `name:` in the file: the experiment it saves as; null when the file has none. */
  specName: string | null;
  description: string;
  text: string;
}

export const TEMPLATE_DIR = "experiments";

/** The shipped drills, as their files read (comments included). */
export async function listTemplates(): Promise<SpecTemplate[]> {
  const dir = path.join(projectRoot(), TEMPLATE_DIR);
  const files = await readdir(dir).catch(() => [] as string[]);
  const names = files.filter((file) => /^[A-Za-z0-9._-]+\.ya?ml$/.test(file)).sort();
  return Promise.all(
    names.map(async (file) => {
      const text = await readFile(path.join(dir, file), "utf8");
      const head = readHead(text);
      return { name: file.replace(/\.ya?ml$/, ""), ...head, text };
    }),
  );
}

/** The name and description a spec file states, without validating it (the editor does that). */
function readHead(text: string): { specName: string | null; description: string } {
  try {
    const value = parse(text) as { name?: unknown; description?: unknown } | null;
    return {
      specName: typeof value?.name === "string" ? value.name : null,
      description: typeof value?.description === "string" ? value.description : "",
    };
  } catch {
    return { specName: null, description: "" };
  }
}
