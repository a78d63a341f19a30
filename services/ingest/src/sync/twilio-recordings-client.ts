import type { TwilioSecrets } from '@callvault/db';

export interface TwilioRecordingListing {
  sid: string;
  call_sid: string;
  status: string;
  channels: number;
  duration: string | null;
  start_time: string;
  media_url?: string;
}

/**
 * Twilio's recording list since a day (DateCreated>=, day granularity), page by page through
 * `next_page_uri`. The base URL is configuration, never taken from a webhook.
 */
export async function* listTwilioRecordings(input: { baseUrl: string; accountSid: string; secrets: TwilioSecrets; since: Date; signal?: AbortSignal }): AsyncGenerator<TwilioRecordingListing> {
  const username = input.secrets.apiKeySid ?? input.accountSid;
  const password = input.secrets.apiKeySid ? input.secrets.apiKeySecret ?? '' : input.secrets.authToken;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const day = input.since.toISOString().slice(0, 10);
  let path: string | null = `/2010-04-01/Accounts/${input.accountSid}/Recordings.json?${new URLSearchParams({ 'DateCreated>': day, PageSize: '1000' })}`;
  for (let pages = 0; path && pages < 10_000; pages += 1) {
    const response = await fetch(`${input.baseUrl}${path}`, { headers: { authorization }, ...(input.signal ? { signal: input.signal } : {}) });
    if (!response.ok) throw new Error(`Twilio recording list answered ${response.status}`);
    const page = (await response.json()) as { recordings: TwilioRecordingListing[]; next_page_uri: string | null };
    for (const recording of page.recordings) yield recording;
    path = page.next_page_uri && page.next_page_uri.startsWith('/2010-04-01/') ? page.next_page_uri : null;
  }
}
