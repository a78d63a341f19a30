import { describe, expect, it } from 'vitest';
import { CARD_PLACEHOLDER as CARD, SSN_PLACEHOLDER as SSN, luhnValid, redact, redactCards, redactSsns, redactTranscript } from './redaction';

/** `prefix` plus the digit that makes it Luhn-valid. */
function withCheckDigit(prefix: string): string {
  for (let digit = 0; digit <= 9; digit += 1) if (luhnValid(`${prefix}${digit}`)) return `${prefix}${digit}`;
  throw new Error('unreachable');
}

/** Same digits, but the one check digit that fails Luhn. */
function luhnInvalid(valid: string): string {
  const last = Number(valid.at(-1));
  return `${valid.slice(0, -1)}${(last + 1) % 10}`;
}

describe('luhnValid', () => {
  it('accepts the card networks’ published test numbers and rejects a changed digit', () => {
    for (const number of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4222222222222', '3530111333300000']) {
      expect(luhnValid(number), number).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310006')).toBe(false);
  });
});

describe('redactCards', () => {
  it('redacts a contiguous card number', () => {
    expect(redactCards('number 4111111111111111 thanks')).toEqual({ text: `number ${CARD} thanks`, count: 1 });
  });

  it('redacts cards grouped with single spaces or dashes', () => {
    expect(redactCards('4111 1111 1111 1111').text).toBe(CARD);
    expect(redactCards('it is 4111-1111-1111-1111.').text).toBe(`it is ${CARD}.`);
    expect(redactCards('amex 3782 822463 10005 ok').text).toBe(`amex ${CARD} ok`);
    expect(redactCards('mixed 4111-1111 1111-1111').text).toBe(`mixed ${CARD}`);
  });

  it('redacts every length from 13 to 19 digits', () => {
    for (let length = 13; length <= 19; length += 1) {
      const number = withCheckDigit('4'.padEnd(length - 1, '1'));
      expect(redactCards(`card ${number} end`), `${length} digits`).toEqual({ text: `card ${CARD} end`, count: 1 });
    }
  });

  it('leaves Luhn-invalid runs alone', () => {
    const text = `card ${luhnInvalid('4111111111111111')} and 4111 1111 1111 1112`;
    expect(redactCards(text)).toEqual({ text, count: 0 });
  });

  it('leaves 12-digit and 20-digit runs alone even when they pass Luhn', () => {
    const twelve = withCheckDigit('41111111111');
    const twenty = withCheckDigit('4111111111111111111');
    expect(twelve).toHaveLength(12);
    expect(twenty).toHaveLength(20);
    expect(redactCards(`order ${twelve} ref ${twenty}`)).toEqual({ text: `order ${twelve} ref ${twenty}`, count: 0 });
  });

  it('finds a card glued to letters, which speech-to-text output sometimes has', () => {
    expect(redactCards('ID4111111111111111X').text).toBe(`ID${CARD}X`);
  });

  it('takes the card out of a longer spoken run but keeps the other groups', () => {
    // A card read out with its expiry right after it: the whole run is 20 digits, the card 16.
    const redacted = redactCards('4111 1111 1111 1111 12 29 is my card');
    expect(redacted.text).not.toMatch(/4111/);
    expect(redacted.count).toBe(1);
  });

  it('does not join groups across two spaces, commas or letters', () => {
    // Joined, each pair would be the card 4111111111111111; apart, each side is too short.
    for (const text of ['41111111  11111111', '41111111,11111111', '41111111 x 11111111', '41111111\n11111111']) {
      expect(redactCards(text), text).toEqual({ text, count: 0 });
    }
  });

  it('redacts several cards in one text and counts them', () => {
    const redacted = redactCards('first 4111111111111111, second 5555-5555-5555-4444; third 378282246310005.');
    expect(redacted).toEqual({ text: `first ${CARD}, second ${CARD}; third ${CARD}.`, count: 3 });
  });

  it('handles a long run of single digits quickly', () => {
    const text = Array.from({ length: 50_000 }, (_, index) => String(index % 10)).join(' ');
    const started = performance.now();
    redactCards(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('redactSsns', () => {
  it('redacts a dashed SSN', () => {
    expect(redactSsns('my ssn is 123-45-6789.')).toEqual({ text: `my ssn is ${SSN}.`, count: 1 });
  });

  it('skips numbers that are never issued', () => {
    for (const invalid of ['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000']) {
      expect(redactSsns(`ssn ${invalid}`), invalid).toEqual({ text: `ssn ${invalid}`, count: 0 });
    }
  });

  it('does not match inside longer numbers', () => {
    for (const text of ['1123-45-6789', '123-45-67890', '1-123-45-6789', '123-45-6789-1', '123456789']) {
      expect(redactSsns(text), text).toEqual({ text, count: 0 });
    }
  });

  it('redacts several SSNs', () => {
    expect(redactSsns('123-45-6789 or 234-56-7890')).toEqual({ text: `${SSN} or ${SSN}`, count: 2 });
  });
});

describe('redact', () => {
  it('redacts cards and SSNs together and counts both', () => {
    expect(redact('my card is 4111 1111 1111 1111 and my ssn is 123-45-6789')).toEqual({
      text: `my card is ${CARD} and my ssn is ${SSN}`,
      count: 2,
    });
  });

  it('leaves ordinary text alone', () => {
    const text = 'call me at 415-555-0123 on Friday at 10, order 12345, total $1,234.56';
    expect(redact(text)).toEqual({ text, count: 0 });
  });
});

describe('redactTranscript', () => {
  it('redacts the text and every segment, counting the text', () => {
    const result = redactTranscript({
      source: 'deepgram',
      text: 'hello\nmy card is 4111111111111111 and my ssn is 123-45-6789',
      segments: [
        { speaker: 'agent', startSeconds: 0, endSeconds: 1, text: 'hello' },
        { speaker: 'customer', startSeconds: 1, endSeconds: 4, text: 'my card is 4111111111111111 and my ssn is 123-45-6789' },
      ],
    });
    expect(result.source).toBe('deepgram');
    expect(result.text).toBe(`hello\nmy card is ${CARD} and my ssn is ${SSN}`);
    expect(result.segments[1]!.text).toBe(`my card is ${CARD} and my ssn is ${SSN}`);
    expect(result.segments[0]).toEqual({ speaker: 'agent', startSeconds: 0, endSeconds: 1, text: 'hello' });
    expect(result.redactionCount).toBe(2);
  });

  it('counts the segments when there is no text', () => {
    const result = redactTranscript({ text: '', segments: [{ speaker: 'agent', startSeconds: 0, endSeconds: 1, text: '123-45-6789' }] });
    expect(result.redactionCount).toBe(1);
  });
});
