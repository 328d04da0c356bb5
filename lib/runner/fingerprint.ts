// What it takes to reproduce a run: the spec (version and hash), the seed, the code (git commit),
// the runtime (Node, onnxruntime), the machine (CPU model, cores) and the sha256 of every model
// artifact and dataset the run touched. Stored on the run; a re-run starts from it.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export interface RunFingerprint {
  specVersion: number;
  specSha256: string;
  seed: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  node: string;
  onnxruntime: string | null;
  cpu: { model: string; cores: number };
  models: Record<string, { sha256: string | null; sizeBytes: number | null }>;
  datasets: Record<string, { sha256: string }>;
}

export interface FingerprintInput {
  root: string;
  specVersion: number;
  specSha256: string;
  seed: bigint | number;
  models: RunFingerprint["models"];
  datasets: RunFingerprint["datasets"];
}

export async function takeFingerprint(input: FingerprintInput): Promise<RunFingerprint> {
  const [git, onnxruntime] = await Promise.all([
    gitState(input.root),
    packageVersion(input.root, "onnxruntime-node"),
  ]);
  const cpus = os.cpus();
  return {
    specVersion: input.specVersion,
    specSha256: input.specSha256,
    seed: String(input.seed),
    gitCommit: git.commit,
    gitDirty: git.dirty,
    node: process.version,
    onnxruntime,
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", cores: os.availableParallelism() },
    models: input.models,
    datasets: input.datasets,
  };
}

async function gitState(root: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  const run = promisify(execFile);
  try {
    const { stdout: commit } = await run("git", ["rev-parse", "HEAD"], { cwd: root });
    const { stdout: status } = await run("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: root,
    });
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    // Not a git checkout (a tarball, a container image): the fingerprint says so instead of guessing.
    return { commit: null, dirty: null };
  }
}

async function packageVersion(root: string, name: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(
      await readFile(path.join(root, "node_modules", name, "package.json"), "utf8"),
    );
    return (manifest as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}
