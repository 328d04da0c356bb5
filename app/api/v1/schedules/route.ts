import { roleAtLeast } from "@/lib/auth/access";
import { route } from "@/lib/http/route";
import { createSchedule, listSchedules } from "@/lib/scheduler/schedules";
import { ScheduleCreateBody } from "@/lib/scheduler/schedules-input";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async ({ principal }) => ({
  schedules: await listSchedules({ revealWebhooks: roleAtLeast(principal.role, "admin") }),
}));

/** Creates a schedule: { experimentId | experimentName, cron, timezone, enabled, overlapPolicy, webhookUrl?, webhookFormat? }. */
export const POST = route({ role: "admin", body: ScheduleCreateBody }, async ({ body, actor }) =>
  Response.json(await createSchedule(body, actor), { status: 201 }),
);
