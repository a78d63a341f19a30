import { compileCompanyPattern, type CompanyPattern } from './company-patterns';
import { redact, type Redacted } from './redaction';

export type RedactText = (text: string) => Redacted;

/**
 * The one redaction of a company's text: cards and SSNs, then the company's own patterns in their
 * order. Patterns come from storage, where only ones that passed `companyPatternProblem` are
 * kept; each is compiled once here, so a caller builds this once per job or event.
 */
export function redactWith(patterns: readonly CompanyPattern[]): RedactText {
  const compiled = patterns.map((pattern) => ({ regex: compileCompanyPattern(pattern.source), placeholder: pattern.placeholder }));
  return (text) => {
    const builtIn = redact(text);
    let count = builtIn.count;
    let redacted = builtIn.text;
    for (const { regex, placeholder } of compiled) {
      redacted = redacted.replace(regex, (match) => {
        // Refused where patterns come in; skipped here too, so no stored pattern can spray placeholders.
        if (match === '') return match;
        count += 1;
        return placeholder;
      });
    }
    return { text: redacted, count };
  };
}
