import { describe, expect, it } from 'vitest';
import { companyPatternProblem } from './company-pattern-problem';
import { MAX_PATTERN_LENGTH, placeholderFor } from './company-patterns';
import { redactWith } from './redact-with';

describe('companyPatternProblem', () => {
  it('accepts the patterns companies write', async () => {
    for (const source of ['MRN-\\d{6,10}', '\\bMRN[- ]?\\d{6}\\b', '[A-Z]{2}\\d{8}', '(?:policy|claim) #?\\d{5,}']) {
      expect(await companyPatternProblem(source), source).toBeUndefined();
    }
  });

  it('refuses patterns that backtrack catastrophically, exponential or polynomial', async () => {
    for (const source of ['(a+)+$', '(a|aa)*b', '(?:\\d+\\s?)+x', '\\d+\\.\\d+$']) {
      expect(await companyPatternProblem(source), source).toMatch(/time on some text/);
    }
  });

  it('refuses empty, overlong, invalid and empty-matching patterns', async () => {
    expect(await companyPatternProblem('')).toBe('is empty');
    expect(await companyPatternProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toBe(`is longer than ${MAX_PATTERN_LENGTH} characters`);
    expect(await companyPatternProblem('(MRN')).toMatch(/^is not a valid regular expression/);
    // Unicode mode refuses the lone brace that the legacy syntax would read as a literal.
    expect(await companyPatternProblem('MRN{')).toMatch(/^is not a valid regular expression/);
    for (const source of ['\\d*', 'x?', '\\b', '(?:)', '$']) {
      expect(await companyPatternProblem(source), source).toBe('matches the empty string');
    }
    for (const source of ['(?=MRN)', 'MRN(?!-0)\\d+', '(?<=MRN-)\\d+', '(?<!x)MRN']) {
      expect(await companyPatternProblem(source), source).toMatch(/lookahead or lookbehind/);
    }
  });
});

describe('redactWith', () => {
  const mrn = { source: 'MRN-\\d{6}', placeholder: placeholderFor('mrn') };

  it('redacts cards, SSNs and the company patterns together, counting each', () => {
    const redactText = redactWith([mrn]);
    expect(redactText('card 4111111111111111, ssn 123-45-6789, chart MRN-123456 and MRN-654321')).toEqual({
      text: 'card [REDACTED CARD], ssn [REDACTED SSN], chart [REDACTED MRN] and [REDACTED MRN]',
      count: 4,
    });
  });

  it('is the built-in redaction without company patterns', () => {
    expect(redactWith([])('MRN-123456 and 123-45-6789')).toEqual({ text: 'MRN-123456 and [REDACTED SSN]', count: 1 });
  });

  it('never sprays placeholders for a stored pattern that matches the empty string', () => {
    expect(redactWith([{ source: 'x*', placeholder: '[X]' }])('abxc')).toEqual({ text: 'ab[X]c', count: 1 });
  });

  it('runs a pattern that passed the check over a long hostile text in one linear pass', () => {
    // A linear pattern's work grows with the text: 200k characters of near-misses finish, with every real match found.
    const text = `${'MRN-12345 '.repeat(20_000)}MRN-123456`;
    const redacted = redactWith([mrn])(text);
    expect(redacted.count).toBe(1);
    expect(redacted.text.endsWith('[REDACTED MRN]')).toBe(true);
  });
});
