import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError, StartupError } from "./errors";

describe("AppError", () => {
  it("is recognised by its brand, even when it comes from another copy of the module", () => {
    const brand = Symbol.for("faultline.AppError");
    const foreign = Object.assign(new Error("from another bundle"), {
      [brand]: true,
      code: "x",
      status: 429,
    });
    assert.ok(foreign instanceof AppError);
    assert.ok(!(new Error("plain") instanceof AppError));
    assert.ok(!((null as unknown) instanceof AppError));
  });

  it("keeps ordinary instanceof checks for its subclasses", () => {
    assert.ok(new StartupError("c", "m") instanceof StartupError);
    assert.ok(new StartupError("c", "m") instanceof AppError);
    assert.ok(!(new AppError("c", "m") instanceof StartupError));
  });
});
