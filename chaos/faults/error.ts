// `error`: answer with a chosen status and the standard error body instead of serving.
import { z } from "zod";

export const ErrorFault = z.strictObject({
  type: z.literal("error"),
  status: z
    .number()
    .int()
    .min(400, "status must be from 400 to 599")
    .max(599, "status must be from 400 to 599")
    .default(503),
  message: z.string().max(500).default("Injected by a Faultline error fault."),
});
export type ErrorFault = z.infer<typeof ErrorFault>;

/** The body an error fault answers with: the API's usual error shape, marked as injected. */
export function injectedErrorBody(fault: ErrorFault, faultId: string) {
  return { error: { code: "injected_fault", message: fault.message, details: { faultId } } };
}
