export { redact, redactTranscript, CARD_PLACEHOLDER, SSN_PLACEHOLDER, type Redacted, type TranscriptBody } from './redaction';
