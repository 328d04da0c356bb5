import { z } from "zod";
import { AppError } from "@/kernel/errors";
import { requireRole } from "@/lib/auth/access";
import { startRun } from "@/lib/experiments/service";
import { readJsonBody, withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

const StartRun = z.strictObject({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  trigger: z.enum(["manual", "cli"]).default("manual"),
});

/** Enqueues a run of the experiment's current version; a worker executes it. */
export const POST = withErrors(async (request, context: { params: Promise<{ id: string }> }) => {
  const { actor } = await requireRole(request, "operator");
  const parsed = StartRun.safeParse(await readJsonBody(request, { emptyAs: {} }));
  if (!parsed.success)
    throw new AppError("invalid_run", parsed.error.issues[0]?.message ?? "invalid body", 400);
  return Response.json(await startRun((await context.params).id, parsed.data, actor), { status: 201 });
});
