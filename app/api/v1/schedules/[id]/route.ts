import { requireRole, roleAtLeast } from "@/lib/auth/access";
import { readJsonBody, withErrors } from "@/lib/http";
import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/scheduler/schedules";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** The schedule with its ten most recent firings. */
export const GET = withErrors(async (request, context: Context) => {
  const principal = await requireRole(request, "viewer");
  const schedule = await getSchedule((await context.params).id, {
    revealWebhooks: roleAtLeast(principal.role, "admin"),
  });
  return Response.json(schedule);
});

/** Changes any of: experimentId | experimentName, cron, timezone, enabled, overlapPolicy, webhookUrl (null removes it), webhookFormat. */
export const PATCH = withErrors(async (request, context: Context) => {
  const principal = await requireRole(request, "admin");
  const body = await readJsonBody(request);
  return Response.json(await updateSchedule((await context.params).id, body, principal.actor));
});

export const DELETE = withErrors(async (request, context: Context) => {
  const principal = await requireRole(request, "admin");
  return Response.json(await deleteSchedule((await context.params).id, principal.actor));
});
