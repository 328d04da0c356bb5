// Multiple-choice correctness for free-text answers: a model may answer with the option's text
// ("Paris"), its letter ("B", "(b)", "B.", "b) Paris") or a lead-in ("Answer: B").
import { AppError } from "../../../kernel/errors";

const LEAD_IN = /^(?:the\s+)?(?:correct\s+)?(?:answer|option|choice)\s*(?:is)?\s*[:-]?\s*/iu;
/** A lone letter, optionally in brackets or with a full stop: "B", "(b)", "b.". */
const LONE_LETTER = /^[([]?([a-z])[)\].]?$/iu;
/** A letter with a delimiter and the option text after it: "B. Paris", "(b) paris", "b: paris". */
const LETTER_WITH_TEXT = /^(?:\(([a-z])\)|\[([a-z])\]|([a-z])[).:])\s*\S/iu;

/** Lower-case, trimmed, whitespace collapsed, outer quotes and final punctuation dropped. */
export function normaliseChoice(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/gu, "")
    .replace(/[.!?]+$/u, "")
    .trim();
}

/**
 * Whether `prediction` picks `choices[answerIndex]`. The option text is tried first (so a choice
 * that starts with "A " is not mistaken for a letter), then a leading option letter.
 */
export function multipleChoiceCorrect(
  prediction: string,
  choices: readonly string[],
  answerIndex: number,
): boolean {
  if (!Number.isInteger(answerIndex) || answerIndex < 0 || answerIndex >= choices.length) {
    throw new AppError(
      "invalid_item",
      `The answer index ${answerIndex} is not one of the ${choices.length} choices.`,
      400,
    );
  }
  return chosenIndex(prediction, choices) === answerIndex;
}

/** The index of the choice a prediction picks, or undefined when it picks none. */
export function chosenIndex(prediction: string, choices: readonly string[]): number | undefined {
  const normalisedChoices = choices.map(normaliseChoice);
  const answer = normaliseChoice(prediction);
  for (const candidate of [answer, answer.replace(LEAD_IN, "")]) {
    const byText = normalisedChoices.indexOf(candidate);
    if (byText >= 0) return byText;
  }
  const stripped = answer.replace(LEAD_IN, "");
  const match = LONE_LETTER.exec(stripped) ?? LETTER_WITH_TEXT.exec(stripped);
  const letter = match?.slice(1).find((group) => group !== undefined);
  if (letter === undefined) return undefined;
  const index = letter.toLowerCase().charCodeAt(0) - "a".charCodeAt(0);
  return index < choices.length ? index : undefined;
}
