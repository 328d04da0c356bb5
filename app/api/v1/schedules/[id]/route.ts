import { roleAtLeast } from "@/lib/auth/access";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/scheduler/schedules";
import { SchedulePatchBody } from "@/lib/scheduler/schedules-input";

export const dynamic = "force-dynamic";

/** The schedule with its ten most recent firings. */
export const GET = route({ role: "viewer", params: IdParams }, async ({ params, principal }) =>
  getSchedule(params.id, { revealWebhooks: roleAtLeast(principal.role, "admin") }),
);

/** Changes any of: experimentId | experimentName, cron, timezone, enabled, overlapPolicy, webhookUrl (null removes it), webhookFormat. */
export const PATCH = route(
  { role: "admin", params: IdParams, body: SchedulePatchBody },
  async ({ params, body, actor }) => updateSchedule(params.id, body, actor),
);

export const DELETE = route({ role: "admin", params: IdParams }, async ({ params, actor }) =>
  deleteSchedule(params.id, actor),
);
