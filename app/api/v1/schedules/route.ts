import { requireRole, roleAtLeast } from "@/lib/auth/access";
import { readJsonBody, withErrors } from "@/lib/http";
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
  const schedule = await createSchedule(await readJsonBody(request), principal.actor);
  return Response.json(schedule, { status: 201 });
});
