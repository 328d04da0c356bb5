// Exact match for single-line OCR, strict and loose. PP-OCRv4 drops spaces under blur, so reports
// show both: `exact` says the text is right as typed, `exact_loose` that the characters are.

/** Equal after trimming (and NFC, so composed and decomposed accents compare equal). */
export function exactMatch(prediction: string, reference: string): boolean {
  return prediction.trim().normalize("NFC") === reference.trim().normalize("NFC");
}

/** Equal ignoring case and all whitespace, including spaces inside the text. */
export function exactMatchLoose(prediction: string, reference: string): boolean {
  return looseForm(prediction) === looseForm(reference);
}

function looseForm(text: string): string {
  return text.normalize("NFC").replace(/\s+/gu, "").toLowerCase();
}
