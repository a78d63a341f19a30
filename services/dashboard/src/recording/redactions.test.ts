import { describe, expect, it } from 'vitest';
import { splitRedactions } from './redactions';

describe('redactions in a transcript line', () => {
  it('marks each placeholder and keeps the rest as plain text', () => {
    expect(splitRedactions('my card is [REDACTED CARD] and ssn [REDACTED SSN].')).toEqual([
      { text: 'my card is ', redacted: false },
      { text: '[REDACTED CARD]', redacted: true },
      { text: ' and ssn ', redacted: false },
      { text: '[REDACTED SSN]', redacted: true },
      { text: '.', redacted: false },
    ]);
    expect(splitRedactions('<b>[redacted card]</b>')).toEqual([{ text: '<b>[redacted card]</b>', redacted: false }]);
  });
});
