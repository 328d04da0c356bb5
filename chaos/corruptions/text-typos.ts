// Typing errors for the text side of a request (a VQA question, an instruction): keyboard-neighbour
// substitutions, dropped, doubled and swapped characters, as in "butter fingers" augmentations.
import type { Random } from "../../kernel/random";
import { type Severity, type SeverityTable, severityParameter } from "./severity";

// Probability that a letter or digit receives one typo. 2% is about one slip per two questions;
// 20% garbles most words while leaving the question recognisable to a person.
export const SEVERITY: SeverityTable<number> = [0.02, 0.05, 0.09, 0.14, 0.2];

type Typo = "substitute" | "drop" | "duplicate" | "swap";

const KEYBOARD_ROWS: ReadonlyArray<readonly [string, number]> = [
  ["1234567890", 0],
  ["qwertyuiop", 0.5],
  ["asdfghjkl", 0.75],
  ["zxcvbnm", 1.25],
];

/** QWERTY neighbours: adjacent keys in the row and keys at most one key-width away above or below. */
const NEIGHBOURS: ReadonlyMap<string, string[]> = buildNeighbours();

const TYPABLE = /[\p{L}\p{N}]/u;

export function textTypos(text: string, severity: Severity, random: Random): string {
  const rate = severityParameter(SEVERITY, severity);
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] as string;
    if (!TYPABLE.test(char) || random.next() >= rate) {
      out.push(char);
      continue;
    }
    const neighbours = NEIGHBOURS.get(char.toLowerCase());
    const next = chars[i + 1];
    const typos: Typo[] = ["drop", "duplicate"];
    if (neighbours) typos.push("substitute");
    if (next !== undefined) typos.push("swap");
    switch (random.pick(typos)) {
      case "drop":
        break;
      case "duplicate":
        out.push(char, char);
        break;
      case "substitute": {
        const replacement = random.pick(neighbours ?? [char]);
        out.push(char === char.toLowerCase() ? replacement : replacement.toUpperCase());
        break;
      }
      case "swap":
        out.push(next ?? "", char);
        i += 1;
        break;
    }
  }
  return out.join("");
}

function buildNeighbours(): Map<string, string[]> {
  const keys = KEYBOARD_ROWS.flatMap(([row, offset], rowIndex) =>
    Array.from(row, (key, column) => ({ key, rowIndex, position: offset + column })),
  );
  const map = new Map<string, string[]>();
  for (const key of keys) {
    const near = keys.filter((other) => {
      if (other === key) return false;
      const rowGap = Math.abs(other.rowIndex - key.rowIndex);
      const distance = Math.abs(other.position - key.position);
      return (rowGap === 0 && distance === 1) || (rowGap === 1 && distance <= 1);
    });
    map.set(
      key.key,
      near.map((other) => other.key),
    );
  }
  return map;
}
