// The PP-OCR character dictionary: class id → character. PaddleOCR's CTCLabelDecode puts the CTC
// blank at class 0, the file's lines at 1…N and, with use_space_char, a space as the last class.
import { readFile } from "node:fs/promises";

/** Index = class id of the recognition model's output; index 0 is the CTC blank (""). */
export type Dictionary = readonly string[];

/** Builds the class table from the text of a keys file (one character per line). */
export function parseDictionary(text: string): Dictionary {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  // A trailing newline would otherwise add an empty class and shift the space class by one.
  if (lines.at(-1) === "") lines.pop();
  return ["", ...lines, " "];
}

const cache = new Map<string, Promise<Dictionary>>();

/** Loads a keys file once per path; engines sharing a dictionary share one copy. */
export function loadDictionary(file: string): Promise<Dictionary> {
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = readFile(file, "utf8").then(parseDictionary);
    // A failed read must not poison the cache: the next engine start retries it.
    loaded.catch(() => cache.delete(file));
    cache.set(file, loaded);
  }
  return loaded;
}

/** Printable ASCII and the space: the character set of Latin-script text such as English. */
export const PRINTABLE_ASCII = (character: string) => /^[\x20-\x7e]$/.test(character);

/**
 * The same class table with every character outside `allowed` emptied, so that decoding picks
 * the most probable allowed character instead (a character whitelist, as Tesseract offers).
 * PP-OCRv4's dictionary is mostly CJK and includes full-width punctuation ("，", "（") that it
 * sometimes prefers on Latin text; restricting to the deployment's charset removes that class of
 * error without touching the model.
 */
export function restrictDictionary(
  dictionary: Dictionary,
  allowed: (character: string) => boolean,
): Dictionary {
  return dictionary.map((character, index) => (index === 0 || allowed(character) ? character : ""));
}
