import type { Recording } from '@callvault/db';

/** `<date>_<from>_<to>_<id>.<ext>`, with only characters that are safe in a header and a file name. */
export function downloadFilename(recording: Recording): string {
  const date = (recording.started_at ?? recording.created_at).toISOString().slice(0, 10);
  const number = (value: string | null) => (value ? value.replace(/[^+0-9]/g, '') || 'unknown' : 'unknown');
  return `${date}_${number(recording.from_number)}_${number(recording.to_number)}_${recording.id}.${recording.format ?? 'bin'}`;
}
