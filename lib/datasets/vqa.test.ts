import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AppError } from "../../kernel/errors";
import { formatImagePath, loadTextVqa, loadVqaV2 } from "./vqa";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => path.join(fixtures, name);

const rejects = (promise: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.match(error.message, pattern);
    return true;
  });

describe("loadVqaV2", () => {
  it("joins questions to annotations and resolves COCO file names", async () => {
    const items = await loadVqaV2({
      questionsFile: fixture("vqa-v2-questions.json"),
      annotationsFile: fixture("vqa-v2-annotations.json"),
      imageDir: "/data/coco/val2014",
    });
    assert.equal(items.length, 3);
    const [bus, count, sign] = items;
    assert.equal(bus?.id, "262148000");
    assert.equal(bus?.task, "vqa");
    assert.equal(bus?.question, "What colour is the bus?");
    assert.equal(bus?.imagePath, path.resolve("/data/coco/val2014/COCO_val2014_000000262148.jpg"));
    assert.equal(bus?.answers?.length, 10);
    assert.equal(bus?.answers?.filter((a) => a === "red").length, 7);
    assert.equal(bus?.meta.multipleChoiceAnswer, "red");
    assert.equal(bus?.meta.answerType, "other");
    assert.deepEqual(count?.answers, ["3", "3", "4"]);
    assert.equal(sign?.imagePath, path.resolve("/data/coco/val2014/COCO_val2014_000000000042.jpg"));
  });

  it("reads a questions-only split (no answers) and honours a custom template", async () => {
    const items = await loadVqaV2({
      questionsFile: fixture("vqa-v2-questions.json"),
      imageDir: "/imgs",
      imageTemplate: "test2015/COCO_test2015_{image_id:012}.jpg",
    });
    assert.equal(items[2]?.imagePath, path.resolve("/imgs/test2015/COCO_test2015_000000000042.jpg"));
    assert.equal(items[0]?.answers, undefined);
  });

  describe("with broken files", () => {
    let scratch: string;
    before(async () => {
      scratch = await mkdtemp(path.join(os.tmpdir(), "faultline-vqa-test-"));
    });
    after(async () => {
      await rm(scratch, { recursive: true, force: true });
    });
    const write = async (name: string, content: unknown) => {
      const file = path.join(scratch, name);
      await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
      return file;
    };

    it("names the file and the field that is wrong", async () => {
      const questionsFile = await write("q.json", {
        questions: [{ image_id: "x", question: "?", question_id: 1 }],
      });
      await rejects(
        loadVqaV2({ questionsFile, imageDir: "." }),
        /q\.json is not in the expected format: questions\.0\.image_id/,
      );
      const notJson = await write("broken.json", "{ questions: ");
      await rejects(loadVqaV2({ questionsFile: notJson, imageDir: "." }), /broken\.json is not valid JSON/);
    });

    it("refuses a question without an annotation, or one about another image", async () => {
      const questionsFile = await write("q2.json", {
        questions: [{ image_id: 1, question: "Why?", question_id: 7 }],
      });
      const none = await write("a-none.json", { annotations: [] });
      await rejects(
        loadVqaV2({ questionsFile, annotationsFile: none, imageDir: "." }),
        /questions\[0\] \(question_id 7\) has no annotation/,
      );
      const other = await write("a-other.json", {
        annotations: [{ question_id: 7, image_id: 2, answers: [], multiple_choice_answer: "x" }],
      });
      await rejects(
        loadVqaV2({ questionsFile, annotationsFile: other, imageDir: "." }),
        /about image 1 but its annotation .* says 2/,
      );
    });
  });
});

describe("loadTextVqa", () => {
  it("reads questions with their ten answers and image classes", async () => {
    const items = await loadTextVqa({
      file: fixture("textvqa.json"),
      imageDir: "/data/textvqa/train_images",
    });
    assert.equal(items.length, 2);
    const camera = items[0]!;
    assert.equal(camera.id, "34602");
    assert.equal(camera.question, "what is the brand of this camera?");
    assert.equal(camera.imagePath, path.resolve("/data/textvqa/train_images/003a8ae2ef43b901.jpg"));
    assert.equal(camera.answers?.length, 10);
    assert.deepEqual(camera.meta.imageClasses, ["Cassette deck", "Printer", "Camera"]);
    assert.deepEqual(items[1]?.answers, Array(10).fill("73"));
  });

  it("accepts the test split, which has no answers", async () => {
    const items = await loadTextVqa({ file: fixture("textvqa-test.json"), imageDir: "/t" });
    assert.equal(items[0]?.answers, undefined);
  });

  it("explains a missing file", async () => {
    await rejects(
      loadTextVqa({ file: fixture("nope.json"), imageDir: "." }),
      /TextVQA file .*nope\.json could not be read/,
    );
  });
});

describe("formatImagePath", () => {
  it("fills fields with optional zero padding", () => {
    assert.equal(
      formatImagePath("COCO_val2014_{image_id:012}.jpg", { image_id: 9 }),
      "COCO_val2014_000000000009.jpg",
    );
    assert.equal(
      formatImagePath("{image_id}/{question_id}.png", { image_id: "ab", question_id: 3 }),
      "ab/3.png",
    );
  });

  it("refuses unknown fields and paths that leave the image folder", () => {
    assert.throws(
      () => formatImagePath("{imageid}.jpg", { image_id: 1 }),
      /uses \{imageid\}; known fields: image_id/,
    );
    assert.throws(() => formatImagePath("../{image_id}.jpg", { image_id: 1 }), /inside the image folder/);
    assert.throws(
      () => formatImagePath("{image_id}.jpg", { image_id: "../../etc/x" }),
      /inside the image folder/,
    );
  });
});
