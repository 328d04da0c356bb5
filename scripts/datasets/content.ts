// The words on the images: one generator per text-line category, and the line lists of receipts,
// signs and forms. Every choice comes from the Random passed in, so an item replays from its seed.
import type { Random } from "../../kernel/random";
import {
  CAPS_PHRASES,
  CITIES,
  CODE_PREFIXES,
  COMMON_WORDS,
  CURRENCY_PREFIXES,
  FIRST_NAMES,
  FORM_TITLES,
  GROCERIES,
  LAST_NAMES,
  MONTHS,
  RECEIPT_ITEMS,
  SENTENCES,
  SHORT_PHRASES,
  SIGN_LINES,
  STORE_NAMES,
  STREETS,
  TITLE_ADJECTIVES,
  TITLE_NOUNS,
  WEEKDAYS,
} from "./vocabulary";

export const TEXTLINE_CATEGORIES = [
  "word",
  "title",
  "caps",
  "price",
  "date",
  "code",
  "phone",
  "alnum",
  "sentence",
] as const;
export type TextlineCategory = (typeof TEXTLINE_CATEGORIES)[number];

export function textFor(category: TextlineCategory, r: Random): string {
  return tidy(GENERATORS[category](r));
}

const GENERATORS: Record<TextlineCategory, (r: Random) => string> = {
  word: (r) => {
    const roll = r.next();
    if (roll < 0.35) return r.pick(COMMON_WORDS);
    if (roll < 0.6) return `${r.pick(COMMON_WORDS)} ${r.pick(COMMON_WORDS)}`;
    const phrase = r.pick(SHORT_PHRASES);
    return roll < 0.8 ? phrase : capitalise(phrase);
  },
  title: (r) => drawTitle(r),
  caps: (r) => {
    const roll = r.next();
    if (roll < 0.65) return r.pick(CAPS_PHRASES);
    if (roll < 0.85) return r.pick(SHORT_PHRASES).toUpperCase();
    return drawTitle(r).toUpperCase();
  },
  price: (r) => {
    const amount = drawAmount(r);
    switch (r.int(0, 9)) {
      case 0:
        return `$${formatUs(amount)}`;
      case 1:
        return `EUR ${formatEu(amount)}`;
      case 2:
        return `${formatEu(amount)} EUR`;
      case 3:
        return formatUs(amount);
      case 4:
        return `${r.pick(CURRENCY_PREFIXES)}${formatUs(amount)}`;
      case 5:
        return `Total: $${formatUs(amount)}`;
      case 6:
        return `${r.int(2, 6)} x $${formatUs(r.int(49, 2999))}`;
      case 7:
        return `${r.pick(["Now", "Was", "Only", "From"])} $${formatUs(amount)}`;
      case 8:
        return `${formatUs(amount)} ${r.pick(["USD", "GBP", "CHF", "CAD"])}`;
      default:
        return `-$${formatUs(amount)}`;
    }
  },
  date: (r) => {
    const date = drawDate(r);
    const { year, month, day } = date;
    const monthName = MONTHS[month - 1] ?? "January";
    switch (r.int(0, 9)) {
      case 0:
        return `${year}-${pad2(month)}-${pad2(day)}`;
      case 1:
        return `${pad2(day)}/${pad2(month)}/${year}`;
      case 2:
        return `${pad2(month)}/${pad2(day)}/${year}`;
      case 3:
        return `${monthName.slice(0, 3)} ${day}, ${year}`;
      case 4:
        return `${day} ${monthName.slice(0, 3)} ${year}`;
      case 5:
        return `${pad2(day)}.${pad2(month)}.${year}`;
      case 6:
        return `${monthName} ${day}, ${year}`;
      case 7:
        return `${weekday(date)}, ${day} ${monthName} ${year}`;
      case 8:
        return `${year}-${pad2(month)}-${pad2(day)} ${drawTime(r)}`;
      default:
        return `${pad2(month)}/${pad2(day)}/${String(year).slice(2)}`;
    }
  },
  code: (r) => {
    const prefix = r.pick(CODE_PREFIXES);
    switch (r.int(0, 9)) {
      case 0:
        return `${prefix}-${digits(r, 4)}`;
      case 1:
        return `SKU ${digits(r, 5)}-${letters(r, 1)}`;
      case 2:
        return `SN: ${alnum(r, 4)}-${alnum(r, 4)}-${alnum(r, 4)}`;
      case 3:
        return `INV-${r.int(2019, 2031)}-${digits(r, 4)}`;
      case 4:
        return `REF #${digits(r, 5)}`;
      case 5:
        return `Lot ${letters(r, 1)}${digits(r, 2)}${letters(r, 1)}`;
      case 6:
        return `PO ${digits(r, 10)}`;
      case 7:
        return `Order #${alnum(r, 6)}`;
      case 8:
        return `${prefix}${digits(r, 3)}/${letters(r, 2)}`;
      default:
        return `ID ${digits(r, 4)}-${digits(r, 4)}`;
    }
  },
  phone: (r) => drawPhone(r),
  alnum: (r) => {
    switch (r.int(0, 11)) {
      case 0:
        return `Room ${r.int(1, 40)}${letters(r, 1)}`;
      case 1:
        return `Gate ${letters(r, 1)}${r.int(1, 60)}`;
      case 2:
        return `Flight ${r.pick(CODE_PREFIXES)}${r.int(100, 9999)}`;
      case 3:
        return `Model ${letters(r, 1)}-${r.int(1, 9) * 100}`;
      case 4:
        return `${r.int(2, 24)}x AA batteries`;
      case 5:
        return `Unit ${r.int(1, 30)}, Bay ${r.int(1, 12)}`;
      case 6:
        return `v${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 30)}`;
      case 7: {
        const cottonPercent = r.pick([50, 60, 70, 80, 95, 100]);
        return cottonPercent === 100
          ? "100% cotton"
          : `${cottonPercent}% cotton, ${100 - cottonPercent}% wool`;
      }
      case 8:
        return `Seat ${r.int(1, 45)}${r.pick(["A", "B", "C", "D", "E", "F"])}`;
      case 9:
        return `Bus ${r.int(2, 199)} to ${r.pick(CITIES)}`;
      case 10:
        return `Ext. ${digits(r, 4)}`;
      default:
        return `${r.int(1, 25)} kg / ${r.int(2, 60)} lb`;
    }
  },
  sentence: (r) => {
    switch (r.int(0, 5)) {
      case 0:
        return `Call ${r.pick(FIRST_NAMES)} on ${drawPhone(r).replace(/^Tel: /, "")}.`;
      case 1:
        return `Meet at ${r.int(1, 99)} ${r.pick(STREETS)} at ${r.int(1, 11)} pm.`;
      case 2:
        return `${capitalise(r.pick(GROCERIES))} is on aisle ${r.int(1, 24)}.`;
      default:
        return r.pick(SENTENCES);
    }
  },
};

export type DocumentKind = "receipt" | "sign" | "form";

/** A line of a document before layout; `bold`/`scale` let headings stand out. */
export interface DocumentLineSpec {
  text: string;
  bold?: boolean;
  /** Font size relative to the document's body size. */
  scale?: number;
  /** Label part of a "Label: value" form line, drawn bold while the value stays regular. */
  label?: string;
  /** Extra space above the line, in line heights (sets items apart from the header…). */
  spaceBefore?: number;
}

export function documentLines(kind: DocumentKind, r: Random): DocumentLineSpec[] {
  const specs = kind === "receipt" ? receiptLines(r) : kind === "sign" ? signLines(r) : formLines(r);
  return specs.map((spec) => ({ ...spec, text: tidy(spec.text) }));
}

function receiptLines(r: Random): DocumentLineSpec[] {
  const lines: DocumentLineSpec[] = [
    { text: r.pick(STORE_NAMES), bold: true, scale: r.pick([1.2, 1.35, 1.5]) },
  ];
  if (r.next() < 0.7) lines.push({ text: `${r.int(1, 240)} ${r.pick(STREETS)}, ${r.pick(CITIES)}` });
  const date = drawDate(r);
  lines.push({
    text: r.pick([
      `${pad2(date.day)}/${pad2(date.month)}/${date.year} ${drawTime(r)}`,
      `Date: ${date.year}-${pad2(date.month)}-${pad2(date.day)} ${drawTime(r)}`,
      `${MONTHS[date.month - 1]?.slice(0, 3)} ${date.day}, ${date.year} ${drawTime(r)}`,
    ]),
  });
  if (r.next() < 0.5) lines.push({ text: `Receipt #${digits(r, 6)}` });
  let subtotalCents = 0;
  const itemCount = r.int(3, 8);
  const itemGap = r.pick([0, 0.4, 0.8]);
  for (let i = 0; i < itemCount; i += 1) {
    const quantity = r.next() < 0.25 ? r.int(2, 4) : 1;
    const unitCents = r.int(49, 1999);
    subtotalCents += quantity * unitCents;
    const name = r.pick(RECEIPT_ITEMS);
    const price = centsText(quantity * unitCents);
    lines.push({
      text: quantity > 1 ? `${quantity} x ${name} ${price}` : `${name} ${price}`,
      ...(i === 0 ? { spaceBefore: itemGap } : {}),
    });
  }
  let totalCents = subtotalCents;
  if (r.next() < 0.5) {
    const ratePercent = r.pick([5, 7, 8, 10, 20]);
    const taxCents = Math.round((subtotalCents * ratePercent) / 100);
    totalCents += taxCents;
    lines.push({ text: `SUBTOTAL ${centsText(subtotalCents)}`, spaceBefore: itemGap });
    lines.push({ text: `TAX ${ratePercent}% ${centsText(taxCents)}` });
  }
  lines.push({
    text: `TOTAL ${r.pick(["$", "", "EUR "])}${centsText(totalCents)}`,
    bold: true,
    ...(lines.at(-1)?.text.startsWith("TAX") ? {} : { spaceBefore: itemGap }),
  });
  if (r.next() < 0.5) lines.push({ text: r.pick(["Paid by card", "CASH", `Card ****${digits(r, 4)}`]) });
  if (r.next() < 0.6)
    lines.push({ text: r.pick(["THANK YOU!", "Thank you, come again", "Have a nice day"]) });
  return lines;
}

function signLines(r: Random): DocumentLineSpec[] {
  const roll = r.next();
  let texts: readonly string[];
  if (roll < 0.45) texts = r.pick(SIGN_LINES);
  else if (roll < 0.6)
    texts = [`ROOM ${r.int(1, 40)}${letters(r, 1)}`, `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`];
  else if (roll < 0.75) {
    texts = [r.pick(CAPS_PHRASES), capitalise(r.pick(SHORT_PHRASES))];
    if (r.next() < 0.5) texts = [...texts, `Call ${drawPhone(r).replace(/^Tel: /, "")}`];
  } else if (roll < 0.88) {
    texts = [
      "OPENING HOURS",
      `Mon - Fri ${r.int(6, 10)} - ${r.int(17, 22)}`,
      `Sat ${r.int(8, 11)} - ${r.int(13, 18)}`,
    ];
    if (r.next() < 0.6) texts = [...texts, "Sun closed"];
  } else
    texts = [`GATE ${letters(r, 1)}${r.int(1, 40)}`, `Flight ${r.pick(CODE_PREFIXES)}${r.int(100, 9999)}`];
  return texts.map((text, index) => ({
    text,
    bold: index === 0 || r.next() < 0.3,
    scale: index === 0 ? 1 : r.pick([0.55, 0.65, 0.75]),
  }));
}

const FORM_FIELDS: Array<[string, (r: Random) => string]> = [
  ["Name", (r) => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`],
  [
    "Date of birth",
    (r) => {
      const year = r.int(1950, 2008);
      return `${pad2(r.int(1, 28))}/${pad2(r.int(1, 12))}/${year}`;
    },
  ],
  ["Phone", (r) => drawPhone(r).replace(/^Tel: /, "")],
  ["Email", (r) => `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(LAST_NAMES).toLowerCase()}@example.com`],
  ["Address", (r) => `${r.int(1, 240)} ${r.pick(STREETS)}`],
  ["City", (r) => r.pick(CITIES)],
  ["Postcode", (r) => `${letters(r, 2)}${r.int(1, 19)} ${r.int(1, 9)}${letters(r, 2)}`],
  ["Member ID", (r) => `${r.pick(CODE_PREFIXES)}-${digits(r, 6)}`],
  ["Reference", (r) => `REF-${digits(r, 5)}`],
  [
    "Date",
    (r) => {
      const d = drawDate(r);
      return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
    },
  ],
  ["Order No", (r) => `${digits(r, 3)}-${digits(r, 7)}`],
  ["Amount due", (r) => `$${formatUs(drawAmount(r))}`],
  ["Vehicle", (r) => `${letters(r, 2)}${digits(r, 2)} ${letters(r, 3)}`],
  ["Appointment", (r) => `${r.pick(WEEKDAYS)} ${drawTime(r)}`],
  ["Signed by", (r) => `${r.pick(FIRST_NAMES).slice(0, 1)}. ${r.pick(LAST_NAMES)}`],
];

function formLines(r: Random): DocumentLineSpec[] {
  const lines: DocumentLineSpec[] = [{ text: r.pick(FORM_TITLES), bold: true, scale: r.pick([1.3, 1.5]) }];
  const fields = shuffle([...FORM_FIELDS], r).slice(0, r.int(4, 8));
  const firstGap = r.pick([0.3, 0.6, 1]);
  for (const [index, [label, value]] of fields.entries()) {
    lines.push({
      text: `${label}: ${value(r)}`,
      label: `${label}:`,
      ...(index === 0 ? { spaceBefore: firstGap } : {}),
    });
  }
  return lines;
}

/** Fisher–Yates with the given Random. */
export function shuffle<T>(items: T[], r: Random): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = r.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Title Case titles built from a few patterns, so they read like titles. */
function drawTitle(r: Random): string {
  const adjective = () => r.pick(TITLE_ADJECTIVES);
  const noun = () => r.pick(TITLE_NOUNS);
  switch (r.int(0, 6)) {
    case 0:
      return `${adjective()} ${noun()}`;
    case 1:
      return `The ${adjective()} ${noun()}`;
    case 2:
      return `${noun()} of the ${adjective()} ${noun()}`;
    case 3:
      return `${adjective()} ${noun()} ${noun()}`;
    case 4:
      return `${r.pick(["Notes on", "A Guide to", "Letters from", "Return to"])} the ${adjective()} ${noun()}`;
    case 5:
      return `${noun()} and ${noun()}`;
    default:
      return `${noun()} in ${noun()}`;
  }
}

function drawPhone(r: Random): string {
  const line = `01${r.int(0, 9)}-${digits(r, 4)}`;
  switch (r.int(0, 7)) {
    case 0:
      return `+1 (555) ${line}`;
    case 1:
      return `(555) ${line}`;
    case 2:
      return `555-${line}`;
    case 3:
      return `+44 20 7946 0${digits(r, 3)}`;
    case 4:
      return `+49 30 ${digits(r, 4)} ${digits(r, 4)}`;
    case 5:
      return `+33 1 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`;
    case 6:
      return `Tel: 0800 ${digits(r, 3)} ${digits(r, 3)}`;
    default:
      return `+61 2 5550 ${digits(r, 4)}`;
  }
}

/** Amounts on three scales so prices run from "0.79" to "18,450.00". */
function drawAmount(r: Random): number {
  const scale = r.int(0, 2);
  const cents = scale === 0 ? r.int(19, 2999) : scale === 1 ? r.int(3000, 99_999) : r.int(100_000, 2_500_000);
  return r.next() < 0.2 ? Math.round(cents / 100) * 100 : cents;
}

function formatUs(cents: number): string {
  return `${groupThousands(Math.floor(cents / 100), ",")}.${pad2(cents % 100)}`;
}

function formatEu(cents: number): string {
  return `${groupThousands(Math.floor(cents / 100), ".")},${pad2(cents % 100)}`;
}

const centsText = (cents: number) => `${Math.floor(cents / 100)}.${pad2(cents % 100)}`;

function groupThousands(value: number, separator: string): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function drawDate(r: Random): CalendarDate {
  const year = r.int(2019, 2031);
  const month = r.int(1, 12);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: r.int(1, daysInMonth) };
}

function weekday({ year, month, day }: CalendarDate): string {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7] ?? "Monday";
}

function drawTime(r: Random): string {
  return `${pad2(r.int(7, 22))}:${pad2(r.int(0, 59))}`;
}

const pad2 = (value: number) => String(value).padStart(2, "0");

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "0123456789";

function digits(r: Random, count: number): string {
  return Array.from({ length: count }, () => r.pick(DIGITS.split(""))).join("");
}

function letters(r: Random, count: number): string {
  return Array.from({ length: count }, () => r.pick(UPPER.split(""))).join("");
}

function alnum(r: Random, count: number): string {
  return Array.from({ length: count }, () => r.pick((UPPER + DIGITS).split(""))).join("");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One space between words, none at the ends: the ground truth an OCR engine can match exactly. */
function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `count` values cycling through `values`, shuffled: every value appears equally often (±1). */
export function balanced<T>(values: readonly T[], count: number, r: Random): T[] {
  return shuffle(
    Array.from({ length: count }, (_, i) => values[i % values.length] as T),
    r,
  );
}
