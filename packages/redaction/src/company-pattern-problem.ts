import { check } from 'recheck';
import { COMPANY_PATTERN_FLAGS, compileCompanyPattern, MAX_PATTERN_LENGTH } from './company-patterns';

/**
 * Whether a company's pattern may be stored, checked once where patterns come in. Company
 * patterns run on V8's backtracking engine, so a pattern that can take super-linear time on some
 * text would let one company's admin stall the workers every company shares: each is proven
 * linear by recheck's automaton analysis before it may be stored, and bounded in length.
 */
// recheck's analysis is bounded too: a pattern it cannot prove safe within this is refused.
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Texts on which a pattern that can match nothing shows it: they cover the start, the end, word
 * and non-word edges, the only contexts that ^, $, \b and \B look at. Lookarounds look at any
 * text, so no probe could cover them: they are refused (a pattern for a number never needs one).
 */
const EMPTY_MATCH_PROBES = ['', ' ', 'a', '0', '-', 'a 0-b\n'];

const LOOKAROUND = /\(\?<?[=!]/;

/** Why `source` cannot be a company pattern, in words for the admin who wrote it; undefined when it can. */
export async function companyPatternProblem(source: string): Promise<string | undefined> {
  if (source.length === 0) return 'is empty';
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  let regex: RegExp;
  try {
    regex = compileCompanyPattern(source);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  if (LOOKAROUND.test(source)) return 'uses a lookahead or lookbehind, which company patterns do not support';
  // An empty match redacts nothing and would place a placeholder between every character.
  if (EMPTY_MATCH_PROBES.some((probe) => [...probe.matchAll(regex)].some((match) => match[0] === ''))) return 'matches the empty string';
  const diagnostics = await check(source, COMPANY_PATTERN_FLAGS, { timeout: CHECK_TIMEOUT_MS });
  if (diagnostics.status === 'vulnerable') {
    return `can take ${diagnostics.complexity.type} time on some text (catastrophic backtracking); rewrite it without nested or overlapping repetition`;
  }
  // A fuzzer that found no slow input is not a proof: only the automaton's verdict is.
  if (diagnostics.status === 'unknown' || diagnostics.checker !== 'automaton') return 'could not be proven to run in linear time; simplify it';
  return undefined;
}
