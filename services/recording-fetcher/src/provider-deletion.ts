import type { TwilioSecrets } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import { createTwilioRest } from '@callvault/providers';
import type { StoredObject } from '@callvault/storage';
import type { FetcherDeps } from './fetcher-deps';

/**
 * The company asked for its recordings to leave Twilio once archived. Only after the archive is
 * verified (the object exists, is this recording's, with the size we counted while streaming) is Twilio's
 * copy deleted. A failed deletion is logged and left: the archive is safe, the copy merely stays.
 */
export async function deleteFromTwilioWhenVerified(
  deps: Pick<FetcherDeps, 'storage' | 'config'>,
  input: { key: string; stored: StoredObject; recordingId: string; accountSid: string; secrets: TwilioSecrets; recordingSid: string; log: Logger },
): Promise<'deleted' | 'kept'> {
  const head = await deps.storage.headObject(input.key);
  if (!head || head.sizeBytes !== input.stored.sizeBytes || head.metadata['recording-id'] !== input.recordingId) {
    input.log.error({ key: input.key }, 'archive verification failed: recording kept at Twilio');
    return 'kept';
  }
  try {
    await createTwilioRest({ baseUrl: deps.config.TWILIO_API_BASE_URL, credentials: { accountSid: input.accountSid, ...input.secrets } }).deleteRecording(
      input.recordingSid,
    );
    return 'deleted';
  } catch (error) {
    input.log.warn({ err: error }, 'deleting the recording at Twilio failed: it stays there');
    return 'kept';
  }
}
