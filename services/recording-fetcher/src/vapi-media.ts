import type { Recording, VapiSecrets } from '@callvault/db';
import { allowListedGet } from './allow-listed-fetch';
import { MediaNotReadyError, PermanentFetchError } from './fetch-errors';
import type { MediaDownload } from './twilio-media';

export interface VapiPresignedFallback {
  url: string;
  expiresAt: Date | null;
}

/**
 * VAPI's storage is private: the recording comes through its API with the org's private key
 * (`/call/{id}/stereo-recording` → 302 to a short-lived signed URL, which the allow-list checks
 * too). Without a usable key, a presigned URL from the report is the fallback while it is fresh.
 */
export async function downloadVapiRecording(input: {
  recording: Pick<Recording, 'provider_recording_id' | 'channels'>;
  secrets: VapiSecrets;
  apiBaseUrl: string;
  presigned: VapiPresignedFallback | undefined;
  allowedHosts: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<MediaDownload> {
  const common = { allowedHosts: input.allowedHosts, timeoutMs: input.timeoutMs, ...(input.signal ? { signal: input.signal } : {}) };
  const kind = input.recording.channels === 1 ? 'mono-recording' : 'stereo-recording';
  let refusal = 'the VAPI org has no private API key registered';
  if (input.secrets.apiKey) {
    const callId = encodeURIComponent(input.recording.provider_recording_id);
    const response = await allowListedGet(`${input.apiBaseUrl}/call/${callId}/${kind}`, {
      ...common,
      headers: { authorization: `Bearer ${input.secrets.apiKey}` },
    });
    if (response.status === 200) return { response, format: 'wav', channels: input.recording.channels };
    response.body?.destroy();
    if (response.status === 404) throw new MediaNotReadyError('VAPI answered 404: recording not uploaded yet (or expired)');
    if (response.status >= 500 || response.status === 429) throw new Error(`VAPI answered ${response.status}`);
    refusal = `VAPI refused the API key (${response.status})`;
  }
  const fresh = input.presigned && (!input.presigned.expiresAt || input.presigned.expiresAt.getTime() > Date.now());
  if (!input.presigned || !fresh) throw new PermanentFetchError(`${refusal}, and no fresh presigned URL is available`);
  const response = await allowListedGet(input.presigned.url, common);
  if (response.status === 200) return { response, format: 'wav', channels: input.recording.channels };
  response.body?.destroy();
  if (response.status >= 500) throw new Error(`recording storage answered ${response.status}`);
  throw new PermanentFetchError(`${refusal}; the presigned URL answered ${response.status}`);
}
