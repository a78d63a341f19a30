const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXTENSIONS = new Set(['mp3', 'wav']);

export interface RecordingKeyParts {
  companyId: string;
  callId: string;
  recordingId: string;
  startedAt: Date;
  extension: string;
}

/**
 * The only place an object key is built:
 * companies/{companyId}/recordings/{yyyy}/{mm}/{dd}/{callId}/{recordingId}.{ext} (UTC date).
 * Every id is validated as a lower-case UUID, so no input can climb out of its company's prefix.
 */
export function recordingKey(parts: RecordingKeyParts): string {
  for (const [name, value] of [
    ['companyId', parts.companyId],
    ['callId', parts.callId],
    ['recordingId', parts.recordingId],
  ] as const) {
    if (!UUID.test(value)) throw new Error(`recordingKey: ${name} is not a UUID`);
  }
  if (!EXTENSIONS.has(parts.extension)) throw new Error('recordingKey: unsupported extension');
  if (Number.isNaN(parts.startedAt.getTime())) throw new Error('recordingKey: invalid date');
  const date = parts.startedAt.toISOString();
  const [yyyy, mm, dd] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)];
  return `${companyPrefix(parts.companyId)}recordings/${yyyy}/${mm}/${dd}/${parts.callId}/${parts.recordingId}.${parts.extension}`;
}

export function companyPrefix(companyId: string): string {
  if (!UUID.test(companyId)) throw new Error('companyPrefix: companyId is not a UUID');
  return `companies/${companyId}/`;
}

export const CONTENT_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav' };
