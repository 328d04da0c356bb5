// Read models for the schedules pages: the list with the create form's experiment choices, and
// one schedule's firing history a page at a time. Webhook URLs show only their origin here.
import "server-only";
import { AppError } from "../../kernel/errors";
import {
  type FiringView,
  getSchedule,
  listExperimentChoices,
  listFirings,
  listSchedules,
  type ScheduleView,
} from "../scheduler/schedules";

export type { FiringView, ScheduleView };

export interface SchedulesPage {
  schedules: ScheduleView[];
  experiments: Array<{ id: string; name: string }>;
}

export async function loadSchedulesPage(): Promise<SchedulesPage> {
  const [schedules, experiments] = await Promise.all([listSchedules(), listExperimentChoices()]);
  return { schedules, experiments };
}

export interface ScheduleHistoryPage {
  schedule: ScheduleView;
  firings: FiringView[];
  nextCursor: string | null;
}

/** One schedule and a page of its firings (newest first), or null when there is no such schedule. */
export async function loadScheduleHistory(
  id: string,
  cursor: string | null,
  limit = 50,
): Promise<ScheduleHistoryPage | null> {
  try {
    const schedule = await getSchedule(id, { recentFirings: 0 });
    const page = await listFirings(id, { limit, cursor });
    return { schedule, ...page };
  } catch (error) {
    if (error instanceof AppError && (error.status === 404 || error.code === "invalid_cursor")) return null;
    throw error;
  }
}
