// Cron expressions and time zones of schedules: validation, the next slot and the slot a firing
// stands for, and a few words for people. The parser is cron-parser, the one pg-boss evaluates
// schedules with, so an expression accepted here fires in pg-boss exactly as computed here.
import cronParser from "cron-parser";

/** Why `expression` is not a 5-field cron expression pg-boss can fire, or null when it is. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  try {
    cronParser.parseExpression(fields.join(" "), { tz: "UTC" }).next();
    return null;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}

/** The expression with single spaces between its fields (what is stored and handed to pg-boss). */
export function normaliseCron(expression: string): string {
  return expression.trim().split(/\s+/).join(" ");
}

/**
 * The IANA time zone's name if both Intl and cron-parser accept it, else null. A name that differs
 * only in case comes back in its canonical case ("europe/berlin" → "Europe/Berlin").
 */
export function canonicalTimeZone(zone: string): string | null {
  const given = zone.trim();
  if (!given) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: given }).resolvedOptions().timeZone;
    cronParser.parseExpression("* * * * *", { tz: given }).next();
  } catch {
    return null;
  }
  return resolved.toLowerCase() === given.toLowerCase() ? resolved : given;
}

/** The first slot strictly after `after`. */
export function nextSlot(cron: string, timezone: string, after: Date): Date {
  return cronParser.parseExpression(cron, { tz: timezone, currentDate: after }).next().toDate();
}

/** The latest slot at or before `at`: the cron time a firing handled at `at` stands for. */
export function slotAtOrBefore(cron: string, timezone: string, at: Date): Date {
  const justAfter = new Date(at.getTime() + 1);
  return cronParser.parseExpression(cron, { tz: timezone, currentDate: justAfter }).prev().toDate();
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * The schedule in words for the common shapes ("every 5 minutes", "daily at 03:00 Europe/Berlin",
 * "Mondays at 03:00 UTC"); null when the expression is not one of them (show it as it is).
 */
export function describeCron(cron: string, timezone: string): string | null {
  const fields = normaliseCron(cron).split(" ");
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const anyDay = dayOfMonth === "*" && month === "*" && dayOfWeek === "*";
  const zone = ` ${timezone}`;
  if (anyDay && hour === "*") {
    if (minute === "*") return "every minute";
    const every = /^\*\/(\d+)$/.exec(minute);
    if (every) return every[1] === "1" ? "every minute" : `every ${every[1]} minutes`;
    if (isNumber(minute)) return `hourly at :${pad(minute)}`;
    return null;
  }
  if (!isNumber(minute)) return null;
  if (anyDay) {
    const every = /^\*\/(\d+)$/.exec(hour);
    if (every) return `every ${every[1]} hours at :${pad(minute)}${zone}`;
  }
  if (!isNumber(hour)) return null;
  const time = `${pad(hour)}:${pad(minute)}${zone}`;
  if (anyDay) return `daily at ${time}`;
  if (dayOfMonth === "*" && month === "*") {
    if (dayOfWeek === "1-5" || dayOfWeek.toLowerCase() === "mon-fri") return `weekdays at ${time}`;
    const days = dayOfWeek.split(",").map(dayIndex);
    if (days.every((day) => day !== null)) {
      return `${days.map((day) => `${DAYS[day as number]}s`).join(", ")} at ${time}`;
    }
    return null;
  }
  if (month === "*" && dayOfWeek === "*" && isNumber(dayOfMonth)) {
    return `monthly on day ${Number(dayOfMonth)} at ${time}`;
  }
  return null;
}

function dayIndex(value: string): number | null {
  if (isNumber(value)) return Number(value) <= 7 ? Number(value) % 7 : null;
  return DAY_NAMES[value.toLowerCase()] ?? null;
}

function isNumber(value: string): boolean {
  return /^\d{1,2}$/.test(value);
}

function pad(value: string): string {
  return value.padStart(2, "0");
}
