// `corrupt_input`: one of the dataset corruptions (or prompt typos) applied to the request's
// input before inference, at a calibrated severity.
import { z } from "zod";
import type { RawImage } from "../../kernel/image";
import { applyCorruption, applyTextTypos, CorruptionName, Severity } from "../corruptions";

export const CorruptInputFault = z.strictObject({
  type: z.literal("corrupt_input"),
  corruption: z.union([CorruptionName, z.literal("text_typos")], {
    message: `corruption must be one of ${[...CorruptionName.options, "text_typos"].join(", ")}`,
  }),
  severity: Severity,
});
export type CorruptInputFault = z.infer<typeof CorruptInputFault>;

export function corruptImage(fault: CorruptInputFault, image: RawImage, seed: string): Promise<RawImage> {
  if (fault.corruption === "text_typos") return Promise.resolve(image);
  return applyCorruption(fault.corruption, image, fault.severity, seed);
}

export function corruptPrompt(fault: CorruptInputFault, prompt: string | undefined, seed: string) {
  if (fault.corruption !== "text_typos" || prompt === undefined) return prompt;
  return applyTextTypos(prompt, fault.severity, seed);
}
