import { requireRole, roleAtLeast } from "@/lib/auth/access";
import { AppError } from "@/lib/errors";
import { withErrors } from "@/lib/http";
import { createSchedule, listSchedules } from "@/lib/scheduler/schedules";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request) => {
  const principal = await requireRole(request, "viewer");
  return Response.json({
    schedules: await listSchedules({ revealWebhooks: roleAtLeast(principal.role, "admin") }),
  });
});

/** Creates a schedule: { experimentId | experimentName, cron, timezone, enabled, overlapPolicy, webhookUrl?, webhookFormat? }. */
export const POST = withErrors(async (request) => {
  const principal = await requireRole(request, "admin");
  const schedule = await createSchedule(await readJson(request), principal.actor);
  return Response.json(schedule, { status: 201 });
});

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  }
}
