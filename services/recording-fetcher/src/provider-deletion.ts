import type { TwilioSecrets } from '@callvault/db';
import type { Logger } from '@callvault/logging';
import type { StoredObject } from '@callvault/storage';
import type { FetcherDeps } from './fetcher-deps';

/**
 * The company asked for its recordings to leave Twilio once archived. Only after the archive is
 * verified (the object exists with the size and sha256 we counted while streaming) is Twilio's
 * copy deleted. A failed deletion is logged and left: the archive is safe, the copy merely stays.
 */
export async function deleteFromTwilioWhenVerified(
  deps: Pick<FetcherDeps, 'storage' | 'config'>,
  input: { key: string; stored: StoredObject; accountSid: string; secrets: TwilioSecrets; recordingSid: string; log: Logger },
): Promise<'deleted' | 'kept'> {
  const head = await deps.storage.headObject(input.key);
  if (!head || head.sizeBytes !== input.stored.sizeBytes || head.metadata.sha256 !== input.stored.sha256) {
    input.log.error({ key: input.key }, 'archive verification failed: recording kept at Twilio');
    return 'kept';
  }
  const username = input.secrets.apiKeySid ?? input.accountSid;
  const password = input.secrets.apiKeySid ? input.secrets.apiKeySecret ?? '' : input.secrets.authToken;
  const response = await fetch(`${deps.config.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${input.accountSid}/Recordings/${input.recordingSid}.json`, {
    method: 'DELETE',
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  }).catch(() => undefined);
  if (response?.status === 204 || response?.status === 404) return 'deleted';
  input.log.warn({ status: response?.status ?? 'network error' }, 'deleting the recording at Twilio failed: it stays there');
  return 'kept';
}
