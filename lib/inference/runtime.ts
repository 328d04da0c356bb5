// The web server's one ModelServer: every manifest under models/ (or the FAULTLINE_MODELS
// subset), loaded once at boot by instrumentation.ts and kept warm for the process's life.
import { env, modelsDir } from "../env";
import { loadManifests } from "../models/manifest";
import { ModelServer } from "./model-server";

const globalForModels = globalThis as unknown as { faultlineModels?: Promise<ModelServer> };

export function getModelServer(): Promise<ModelServer> {
  globalForModels.faultlineModels ??= loadModelServer();
  return globalForModels.faultlineModels;
}

async function loadModelServer(): Promise<ModelServer> {
  const wanted = env()
    .FAULTLINE_MODELS?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const manifests = (await loadManifests(modelsDir())).filter(
    (loaded) => !wanted || wanted.includes(loaded.manifest.name),
  );
  return ModelServer.load(manifests, (message) => console.log(`[models] ${message}`));
}
