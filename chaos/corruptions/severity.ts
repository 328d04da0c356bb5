// Severity levels 1–5 (ImageNet-C's convention) shared by every corruption, and the one check that
// rejects anything else before a pixel is touched: a typo in a fault plan must fail loudly, not
// silently pick table[undefined].
import { z } from "zod";
import { AppError } from "../../kernel/errors";

export const Severity = z.literal([1, 2, 3, 4, 5]);
export type Severity = z.infer<typeof Severity>;

/** Five values, one per severity, mildest first. */
export type SeverityTable<T> = readonly [T, T, T, T, T];

/** The table's value for `severity`, or an `invalid_severity` error for anything but 1–5. */
export function severityParameter<T>(table: SeverityTable<T>, severity: number): T {
  if (!Severity.safeParse(severity).success) {
    throw new AppError(
      "invalid_severity",
      `Corruption severity must be an integer from 1 to 5, got ${String(severity)}.`,
      400,
    );
  }
  return table[severity - 1] as T;
}
