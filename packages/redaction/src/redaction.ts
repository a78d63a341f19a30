/**
 * Removes payment card numbers and US social security numbers from transcript text before it is
 * stored: once in the database they would reach search snippets, exports and every reader.
 * Pure and deterministic, so the same input always redacts the same way.
 */

export const CARD_PLACEHOLDER = '[REDACTED CARD]';
export const SSN_PLACEHOLDER = '[REDACTED SSN]';

export interface Redacted {
  text: string;
  count: number;
}

const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

// A run of digit groups joined by exactly one space or dash, not touching other digits.
const DIGIT_RUN = /(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g;
// Area 000, 666 and 900–999, group 00 and serial 0000 are never issued.
const SSN = /(?<!\d-?)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!-?\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

interface Group {
  start: number;
  end: number;
  digits: string;
}

/**
 * The card numbers inside one run, as [start, end) offsets into the run: consecutive whole groups
 * of 13–19 digits that pass Luhn, leftmost first, then longest. A run that is one card is one
 * span; "4111 1111 1111 1111 12 25" (a card read out with its expiry) still loses the card. A group
 * is never split, so an ungrouped 12- or 20-digit number is never a card.
 */
function cardSpans(run: string): Array<[number, number]> {
  const groups: Group[] = [];
  for (const match of run.matchAll(/\d+/g)) groups.push({ start: match.index, end: match.index + match[0].length, digits: match[0] });
  const spans: Array<[number, number]> = [];
  let first = 0;
  while (first < groups.length) {
    // Grow the candidate group by group (at most 19 digits, so this stays linear in the run) and keep the longest card.
    let best = -1;
    let digits = '';
    for (let last = first; last < groups.length; last += 1) {
      digits += groups[last]!.digits;
      if (digits.length > CARD_MAX_DIGITS) break;
      if (digits.length >= CARD_MIN_DIGITS && luhnValid(digits)) best = last;
    }
    if (best >= 0) {
      spans.push([groups[first]!.start, groups[best]!.end]);
      first = best + 1;
    } else {
      first += 1;
    }
  }
  return spans;
}

export function redactCards(text: string): Redacted {
  let count = 0;
  const redacted = text.replace(DIGIT_RUN, (run) => {
    const spans = cardSpans(run);
    if (spans.length === 0) return run;
    count += spans.length;
    let out = '';
    let cursor = 0;
    for (const [start, end] of spans) {
      out += run.slice(cursor, start) + CARD_PLACEHOLDER;
      cursor = end;
    }
    return out + run.slice(cursor);
  });
  return { text: redacted, count };
}

export function redactSsns(text: string): Redacted {
  let count = 0;
  const redacted = text.replace(SSN, () => {
    count += 1;
    return SSN_PLACEHOLDER;
  });
  return { text: redacted, count };
}

/** SSNs first: their placeholder holds no digits, so the card pass cannot fold one into a longer run. */
export function redact(text: string): Redacted {
  const ssns = redactSsns(text);
  const cards = redactCards(ssns.text);
  return { text: cards.text, count: ssns.count + cards.count };
}

export interface TranscriptBody {
  text: string;
  segments: Array<{ speaker: string; startSeconds: number; endSeconds: number; text: string }>;
}

/**
 * Redacts the text and every segment, with cards and SSNs or a company's `redactWith`. The count is that of the text, which carries the whole
 * transcript (segments repeat the same spans); a transcript without text counts its segments.
 */
export function redactTranscript<T extends TranscriptBody>(transcript: T, redactText: (text: string) => Redacted = redact): T & { redactionCount: number } {
  const text = redactText(transcript.text);
  let segmentCount = 0;
  const segments = transcript.segments.map((segment) => {
    const redacted = redactText(segment.text);
    segmentCount += redacted.count;
    return { ...segment, text: redacted.text };
  });
  return { ...transcript, text: text.text, segments, redactionCount: transcript.text.length > 0 ? text.count : segmentCount };
}
