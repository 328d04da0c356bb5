import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { makeScratchDir } from "../../testing/scratch-dir";
import { createPrismaClient } from "./prisma";
import { seedDatabase } from "./seed";

describe("seedDatabase", () => {
  let database: TestDatabase;
  let modelsDir: string;
  let datasetsDir: string;

  before(async () => {
    database = await createTestDatabase({ prefix: "faultline_seed" });
    modelsDir = await makeScratchDir("faultline-models");
    datasetsDir = await makeScratchDir("faultline-datasets");
  });
  after(async () => {
    await database.drop();
    await rm(modelsDir, { recursive: true, force: true });
    await rm(datasetsDir, { recursive: true, force: true });
  });

  async function writeModel(name: string, manifest: object, artifact?: string) {
    await mkdir(path.join(modelsDir, name), { recursive: true });
    await writeFile(path.join(modelsDir, name, "manifest.json"), JSON.stringify(manifest));
    if (artifact !== undefined) await writeFile(path.join(modelsDir, name, "model.onnx"), artifact);
  }

  it("registers each manifest with its artifact's sha256 and size, and updates it on the next run", async () => {
    const manifest = {
      name: "tiny-rec",
      family: "tiny",
      version: "1",
      task: "ocr.line",
      role: "candidate",
      engine: "onnx",
      artifact: "model.onnx",
      params: { height: 48 },
    };
    await writeModel("tiny-rec", manifest, "weights");
    await seedDatabase(database.url, { modelsDir, datasetsDir });
    await writeModel("tiny-rec", { ...manifest, version: "2" }, "new weights");
    await seedDatabase(database.url, { modelsDir, datasetsDir });

    const prisma = createPrismaClient(database.url, 1);
    const rows = await prisma.modelVersion.findMany();
    await prisma.$disconnect();
    assert.equal(rows.length, 1, "seeding twice must not duplicate a model");
    const [row] = rows;
    assert.equal(row?.version, "2");
    assert.equal(row?.role, "candidate");
    assert.equal(row?.sha256, "75f585ae1855ec1d1ba5e4fc9861e07fbdba3919a965042b2ba78b6fc3e9a18f"); // sha256("new weights")
    assert.equal(row?.sizeBytes, 11n);
    assert.deepEqual(row?.params, { description: "", height: 48 });
  });

  it("registers the project's committed datasets with their item counts and digests", async () => {
    await seedDatabase(database.url, { modelsDir, datasetsDir: path.join(process.cwd(), "datasets") });
    const prisma = createPrismaClient(database.url, 1);
    const datasets = await prisma.dataset.findMany({ orderBy: { name: "asc" } });
    await prisma.$disconnect();
    assert.deepEqual(
      datasets.map((d) => [d.name, d.task]),
      [
        ["document-v1", "ocr.document"],
        ["textline-v1", "ocr.line"],
      ],
    );
    assert.ok((datasets[1]?.itemCount ?? 0) >= 500);
    assert.match(datasets[1]?.sha256 ?? "", /^[0-9a-f]{64}$/);
  });

  it("names the manifest and the field when a manifest is invalid", async () => {
    await writeModel("broken", { name: "Broken Name", family: "x" });
    await assert.rejects(seedDatabase(database.url, { modelsDir, datasetsDir }), (error: Error) => {
      assert.match(error.message, /broken\/manifest\.json is not a valid model manifest/);
      assert.match(error.message, /name must be lower-case letters/);
      assert.match(error.message, /version/);
      return true;
    });
    await rm(path.join(modelsDir, "broken"), { recursive: true });
  });

  it("says which model's artifact is missing", async () => {
    await writeModel("ghost", {
      name: "ghost",
      family: "g",
      version: "1",
      task: "t",
      engine: "onnx",
      artifact: "gone.onnx",
    });
    await assert.rejects(
      seedDatabase(database.url, { modelsDir, datasetsDir }),
      /The artifact of model ghost is missing: .*gone\.onnx/,
    );
    await rm(path.join(modelsDir, "ghost"), { recursive: true });
  });
});
