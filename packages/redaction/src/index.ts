export { redact, redactTranscript, CARD_PLACEHOLDER, SSN_PLACEHOLDER, type Redacted, type TranscriptBody } from './redaction';
export { redactWith, type RedactText } from './redact-with';
export { companyPatternProblem } from './company-pattern-problem';
export {
  placeholderFor,
  MAX_COMPANY_PATTERNS,
  MAX_PATTERN_LENGTH,
  MAX_PLACEHOLDER_LENGTH,
  type CompanyPattern,
} from './company-patterns';
