/**
 * A company's own patterns (medical record numbers, policy numbers...): their bounds, how they
 * compile and what replaces a match. Whether one is safe to store is company-pattern-problem.ts,
 * kept apart so the services that only apply patterns do not load the analyser.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_COMPANY_PATTERNS = 20;
export const MAX_PLACEHOLDER_LENGTH = 60;

export interface CompanyPattern {
  source: string;
  placeholder: string;
}

// Unicode mode: the stricter syntax refuses the legacy escapes that make a pattern mean something else than it reads.
export const COMPANY_PATTERN_FLAGS = 'gu';

export function compileCompanyPattern(source: string): RegExp {
  return new RegExp(source, COMPANY_PATTERN_FLAGS);
}

/** `[REDACTED MRN]` from the label "mrn": what a reader sees instead of the match. */
export function placeholderFor(label: string): string {
  return `[REDACTED ${label.trim().toUpperCase()}]`.slice(0, MAX_PLACEHOLDER_LENGTH);
}
