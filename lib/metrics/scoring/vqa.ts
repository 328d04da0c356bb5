// VQA accuracy as the official evaluation script computes it (GT-Vision-Lab/VQA,
// PythonEvaluationTools/vqaEvaluation/vqaEval.py): the same answer normalisation, table for table
// and quirk for quirk, and the soft score averaged over the leave-one-out subsets of the answers.
import { AppError } from "../../../kernel/errors";

// Ported verbatim, quirks included: capitalised keys ("Im", "Ive") can never match because words
// are lower-cased first, and "somebody'd" maps to "somebodyd" (the reverse of its neighbours).
// biome-ignore format: a long table reads better packed, in the script's own order.
const CONTRACTIONS: Readonly<Record<string, string>> = {
  aint: "ain't", arent: "aren't", cant: "can't", couldve: "could've", couldnt: "couldn't",
  "couldn'tve": "couldn't've", "couldnt've": "couldn't've", didnt: "didn't", doesnt: "doesn't",
  dont: "don't", hadnt: "hadn't", "hadnt've": "hadn't've", "hadn'tve": "hadn't've", hasnt: "hasn't",
  havent: "haven't", hed: "he'd", "hed've": "he'd've", "he'dve": "he'd've", hes: "he's", howd: "how'd",
  howll: "how'll", hows: "how's", "Id've": "I'd've", "I'dve": "I'd've", Im: "I'm", Ive: "I've",
  isnt: "isn't", itd: "it'd", "itd've": "it'd've", "it'dve": "it'd've", itll: "it'll", "let's": "let's",
  maam: "ma'am", mightnt: "mightn't", "mightnt've": "mightn't've", "mightn'tve": "mightn't've",
  mightve: "might've", mustnt: "mustn't", mustve: "must've", neednt: "needn't", notve: "not've",
  oclock: "o'clock", oughtnt: "oughtn't", "ow's'at": "'ow's'at", "'ows'at": "'ow's'at",
  "'ow'sat": "'ow's'at", shant: "shan't", "shed've": "she'd've", "she'dve": "she'd've", "she's": "she's",
  shouldve: "should've", shouldnt: "shouldn't", "shouldnt've": "shouldn't've",
  "shouldn'tve": "shouldn't've", "somebody'd": "somebodyd", "somebodyd've": "somebody'd've",
  "somebody'dve": "somebody'd've", somebodyll: "somebody'll", somebodys: "somebody's",
  someoned: "someone'd", "someoned've": "someone'd've", "someone'dve": "someone'd've",
  someonell: "someone'll", someones: "someone's", somethingd: "something'd",
  "somethingd've": "something'd've", "something'dve": "something'd've", somethingll: "something'll",
  thats: "that's", thered: "there'd", "thered've": "there'd've", "there'dve": "there'd've",
  therere: "there're", theres: "there's", theyd: "they'd", "theyd've": "they'd've",
  "they'dve": "they'd've", theyll: "they'll", theyre: "they're", theyve: "they've", twas: "'twas",
  wasnt: "wasn't", "wed've": "we'd've", "we'dve": "we'd've", weve: "we've", werent: "weren't",
  whatll: "what'll", whatre: "what're", whats: "what's", whatve: "what've", whens: "when's",
  whered: "where'd", wheres: "where's", whereve: "where've", whod: "who'd", "whod've": "who'd've",
  "who'dve": "who'd've", wholl: "who'll", whos: "who's", whove: "who've", whyll: "why'll",
  whyre: "why're", whys: "why's", wont: "won't", wouldve: "would've", wouldnt: "wouldn't",
  "wouldnt've": "wouldn't've", "wouldn'tve": "wouldn't've", yall: "y'all", "yall'll": "y'all'll",
  "y'allll": "y'all'll", "yall'd've": "y'all'd've", "y'alld've": "y'all'd've", "y'all'dve": "y'all'd've",
  youd: "you'd", "youd've": "you'd've", "you'dve": "you'd've", youll: "you'll", youre: "you're",
  youve: "you've",
};

// biome-ignore format: one table, as in the script.
const MANUAL_MAP: Readonly<Record<string, string>> = {
  none: "0", zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5",
  six: "6", seven: "7", eight: "8", nine: "9", ten: "10",
};

const ARTICLES: ReadonlySet<string> = new Set(["a", "an", "the"]);

// "(?!<=\d)" is a lookahead for the text "<=digit", not a lookbehind: the script removes every
// period not followed by a digit ("3.5" keeps its point, "cat." and "u.s." lose theirs). Kept as is.
const PERIOD_STRIP = /(?!<=\d)(\.)(?!\d)/g;
/** The script's Python `sub(…, re.UNICODE)` passes 32 as the replacement count. */
const PERIOD_STRIP_COUNT = 32;
const COMMA_STRIP = /(\d)(,)(\d)/;
// biome-ignore format: one list, as in the script.
const PUNCT: readonly string[] = [
  ";", "/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`", ",", "?", "!",
];

/**
 * The script's processPunctuation: each mark is deleted when it touches a space somewhere in the
 * text (or when the text has a digit,digit comma anywhere: "1,000" → "1000"), else turned into a
 * space; then periods not followed by a digit go.
 */
export function processPunctuation(text: string): string {
  const digitComma = COMMA_STRIP.test(text);
  let out = text;
  for (const mark of PUNCT) {
    const deleted = text.includes(`${mark} `) || text.includes(` ${mark}`) || digitComma;
    out = out.replaceAll(mark, deleted ? "" : " ");
  }
  let replaced = 0;
  return out.replace(PERIOD_STRIP, (period) => (replaced++ < PERIOD_STRIP_COUNT ? "" : period));
}

/** The script's processDigitArticle: lower-case, number words to digits, no articles, contractions. */
export function processDigitArticle(text: string): string {
  const words: string[] = [];
  for (const raw of text.toLowerCase().split(/\s+/u)) {
    if (raw === "") continue;
    const word = MANUAL_MAP[raw] ?? raw;
    if (!ARTICLES.has(word)) words.push(word);
  }
  return words.map((word) => CONTRACTIONS[word] ?? word).join(" ");
}

/** The full normalisation applied to a model's answer: newlines and tabs to spaces, trim, then both steps. */
export function normaliseVqaAnswer(answer: string): string {
  return processDigitArticle(processPunctuation(answer.replace(/[\n\t]/g, " ").trim()));
}

/** How many of the human answers equal the prediction, both normalised. */
export function vqaMatches(prediction: string, answers: readonly string[]): number {
  const normalised = normaliseVqaAnswer(prediction);
  return answers.filter((answer) => normaliseVqaAnswer(answer) === normalised).length;
}

/**
 * The official VQA accuracy: for each human answer left out in turn, min(#other humans who gave
 * the prediction / 3, 1), averaged. With the usual 10 answers, 1/2/3/4+ agreeing humans give
 * 0.3/0.6/0.9/1.
 *
 * Two deliberate extensions, both identical to the official result on VQA-style data:
 * - answers are normalised like the prediction (the script only strips punctuation from them,
 *   relying on VQA's annotations being canonical already; hand-written datasets are not);
 * - with fewer than 4 answers the divisor is min(3, n − 1), so a prediction that every human gave
 *   still scores 1 (leave-one-out caps it at 1/3 or 2/3 otherwise), and a single answer is exact match.
 */
export function vqaAccuracy(prediction: string, answers: readonly string[]): number {
  requireAnswers(answers);
  const normalised = normaliseVqaAnswer(prediction);
  const agrees = answers.map((answer) => normaliseVqaAnswer(answer) === normalised);
  if (answers.length === 1) return agrees[0] ? 1 : 0;
  const divisor = Math.min(3, answers.length - 1);
  const total = agrees.filter(Boolean).length;
  let sum = 0;
  for (const agreed of agrees) sum += Math.min(1, (total - (agreed ? 1 : 0)) / divisor);
  return sum / answers.length;
}

/** The simple form often quoted for VQA accuracy: min(#humans who gave the prediction / 3, 1). */
export function vqaAccuracySimple(prediction: string, answers: readonly string[]): number {
  requireAnswers(answers);
  return Math.min(1, vqaMatches(prediction, answers) / 3);
}

function requireAnswers(answers: readonly string[]): void {
  if (answers.length === 0) {
    throw new AppError("invalid_item", "A VQA item needs at least one reference answer.", 400);
  }
}
