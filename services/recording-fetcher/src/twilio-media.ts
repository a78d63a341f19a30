import type { Recording, TwilioSecrets } from '@callvault/db';
import { twilioAuthorization } from '@callvault/providers';
import { allowListedGet, type AllowListedResponse } from './allow-listed-fetch';
import { MediaNotReadyError, PermanentFetchError } from './fetch-errors';

export interface MediaDownload {
  response: AllowListedResponse;
  format: 'mp3' | 'wav';
  channels: number | null;
}

const RECORDING_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})$/;

/**
 * Downloads a Twilio recording with the owning account's credentials. The URL from the webhook
 * must name this very account and recording (besides its host being allow-listed), so a
 * callback cannot point our credentials at someone else's resource.
 */
export async function downloadTwilioRecording(input: {
  recording: Pick<Recording, 'media_url' | 'provider_recording_id' | 'channels'>;
  accountSid: string;
  secrets: TwilioSecrets;
  format: 'mp3' | 'wav';
  allowedHosts: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<MediaDownload> {
  if (!input.recording.media_url) throw new PermanentFetchError('recording has no media URL');
  const base = new URL(input.recording.media_url);
  const match = RECORDING_PATH.exec(base.pathname);
  if (!match || match[1] !== input.accountSid || match[2] !== input.recording.provider_recording_id) {
    throw new PermanentFetchError('media URL does not name this account and recording');
  }
  const headers = { authorization: twilioAuthorization({ accountSid: input.accountSid, ...input.secrets }) };

  const attempt = async (channels: 1 | 2 | null) => {
    const url = new URL(`${base.origin}${base.pathname}.${input.format}`);
    if (channels === 2) url.searchParams.set('RequestedChannels', '2');
    return allowListedGet(url.toString(), {
      allowedHosts: input.allowedHosts,
      headers,
      timeoutMs: input.timeoutMs,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  };

  const wantsDual = input.recording.channels === 2;
  let response = await attempt(wantsDual ? 2 : null);
  let channels: number | null = input.recording.channels;
  if (wantsDual && response.status === 400) {
    // Twilio answers 400 when a recording has one channel only.
    response.body?.destroy();
    response = await attempt(null);
    channels = 1;
  }
  if (response.status === 200) return { response, format: input.format, channels };
  response.body?.destroy();
  if (response.status === 404) throw new MediaNotReadyError('Twilio answered 404: media not ready yet (or deleted)');
  if (response.status === 401 || response.status === 403) throw new PermanentFetchError(`Twilio refused the credentials (${response.status})`);
  if (response.status >= 500 || response.status === 429) throw new Error(`Twilio answered ${response.status}`);
  throw new PermanentFetchError(`Twilio answered ${response.status}`);
}
