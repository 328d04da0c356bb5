// `corrupt_output`: garble the model's answer (characters replaced), as a silently wrong model
// would; accuracy SLOs, not status codes, are what catch it.
import { z } from "zod";
import type { Random } from "../../kernel/random";

export const CorruptOutputFault = z.strictObject({
  type: z.literal("corrupt_output"),
  /** Fraction of characters replaced. */
  rate: z.number().min(0, "rate must be from 0 to 1").max(1, "rate must be from 0 to 1").default(0.3),
});
export type CorruptOutputFault = z.infer<typeof CorruptOutputFault>;

const REPLACEMENTS = "abcdefghijklmnopqrstuvwxyz0123456789#?";

/** Replaces about `rate` of the characters; at least one when the answer is not empty. */
export function garble(answer: string, fault: CorruptOutputFault, random: Random): string {
  if (answer.length === 0 || fault.rate === 0) return answer;
  const characters = [...answer];
  let changed = 0;
  for (let i = 0; i < characters.length; i += 1) {
    if (random.next() < fault.rate) {
      characters[i] = differentCharacter(characters[i] as string, random);
      changed += 1;
    }
  }
  if (changed === 0) {
    const i = random.int(0, characters.length - 1);
    characters[i] = differentCharacter(characters[i] as string, random);
  }
  return characters.join("");
}

function differentCharacter(current: string, random: Random): string {
  let next = current;
  while (next === current) next = random.pick([...REPLACEMENTS]);
  return next;
}
