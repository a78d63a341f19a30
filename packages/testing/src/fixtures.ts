import { readFileSync } from 'node:fs';

/** A Twilio webhook form (`fixtures/twilio/<name>.form`), as Twilio posts it, parsed into its fields. */
export function twilioFormFixture(name: string): Record<string, string> {
  const form = readFileSync(new URL(`../fixtures/twilio/${name}.form`, import.meta.url), 'utf8').trim();
  return Object.fromEntries(new URLSearchParams(form));
}
