import type { SecretBox } from '@callvault/crypto';
import { getProviderAccount, openProviderSecrets, withCompany, type Db, type Recording, type TwilioSecrets } from '@callvault/db';
import { createTwilioRest } from '@callvault/providers';

/** What removing the provider's own copy of an erased recording needs: the sealed credentials and where Twilio is. */
export interface ProviderCopyDeps {
  box: SecretBox;
  twilioApiBaseUrl: string;
}

/** The company setting (on its Twilio registration) that asks for Twilio's copy to go when ours is erased. */
export const DELETE_FROM_PROVIDER_ON_ERASURE = 'deleteFromProviderOnErasure';

/**
 * Deletes Twilio's copy of an erased recording when the company asked for it. Twilio answering
 * 404 (already gone, or not this account's) counts as done; any other failure throws, so the
 * removal job retries and, if it gives up, the tombstone keeps its key and the sweep queues it
 * again. VAPI offers no recording deletion: its copy follows VAPI's own retention.
 */
export async function removeProviderCopy(
  deps: ProviderCopyDeps & { db: Db },
  recording: Pick<Recording, 'company_id' | 'provider' | 'provider_recording_id'>,
): Promise<'deleted' | 'not-asked'> {
  if (recording.provider !== 'twilio') return 'not-asked';
  const account = await withCompany(deps.db, recording.company_id, (tx) => getProviderAccount(tx, 'twilio'));
  if (account?.settings[DELETE_FROM_PROVIDER_ON_ERASURE] !== true) return 'not-asked';
  const secrets = openProviderSecrets<TwilioSecrets>(deps.box, account);
  await createTwilioRest({ baseUrl: deps.twilioApiBaseUrl, credentials: { accountSid: account.external_id, ...secrets } }).deleteRecording(
    recording.provider_recording_id,
  );
  return 'deleted';
}
