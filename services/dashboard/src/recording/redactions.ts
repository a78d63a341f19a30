/** The transcriber's placeholders for what it removed (card numbers, SSNs). */
const PLACEHOLDER = /(\[REDACTED [A-Z]+\])/;

export type TextPart = { text: string; redacted: boolean };

/** Splits a transcript line so redactions can be shown as such (styled and announced), as text. */
export function splitRedactions(text: string): TextPart[] {
  return text
    .split(PLACEHOLDER)
    .filter((part) => part.length > 0)
    .map((part) => ({ text: part, redacted: PLACEHOLDER.test(part) && /^\[REDACTED [A-Z]+\]$/.test(part) }));
}
