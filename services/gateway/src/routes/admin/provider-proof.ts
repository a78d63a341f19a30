import type { Config } from '@callvault/config';
import { listProviderAccounts, openProviderSecrets, type CompanyTx, type ProviderAccount, type TwilioSecrets, type VapiSecrets } from '@callvault/db';
import {
  createTwilioRest,
  createVapiRest,
  InsecureTransportError,
  ProviderRejectedError,
  ProviderUnavailableError as ProviderDown,
  type TwilioCredentials,
} from '@callvault/providers';
import type { SecretBox } from '@callvault/crypto';
import { PhoneNumberNotOwnedError, ProviderCredentialsInvalidError, ProviderUnavailableError } from '../../errors';

type ProviderConfig = Pick<Config, 'TWILIO_API_BASE_URL' | 'VAPI_API_BASE_URL'>;

/** Provider calls answer in the API's words: refused credentials 422, an unreachable provider 503. */
export async function askingProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderRejectedError) throw new ProviderCredentialsInvalidError(error.message);
    if (error instanceof ProviderDown || error instanceof InsecureTransportError) throw new ProviderUnavailableError(error.message);
    throw error;
  }
}

/** Twilio's account check with the auth token, and with the API key when one is given: both must own the account. */
export async function proveTwilioAccount(config: ProviderConfig, credentials: TwilioCredentials): Promise<void> {
  const rest = createTwilioRest({ baseUrl: config.TWILIO_API_BASE_URL, credentials });
  await askingProvider(async () => {
    await rest.checkAccount('auth-token');
    if (credentials.apiKeySid) await rest.checkAccount('api-key');
  });
}

/** VAPI's org check: the private API key must belong to the org. */
export async function proveVapiOrg(config: ProviderConfig, orgId: string, apiKey: string): Promise<void> {
  await askingProvider(() => createVapiRest({ baseUrl: config.VAPI_API_BASE_URL, apiKey }).checkOrg(orgId));
}

/** A company's registrations as the number rules need them: shared ones, and its own with their secrets. */
export interface CompanyAccounts {
  shared: boolean;
  twilio: TwilioCredentials | undefined;
  vapiApiKey: string | undefined;
}

export async function companyAccounts(tx: CompanyTx, box: SecretBox): Promise<CompanyAccounts> {
  const accounts = await listProviderAccounts(tx);
  const own = (provider: ProviderAccount['provider']) => accounts.find((account) => account.provider === provider && !account.shared);
  const twilio = own('twilio');
  const vapi = own('vapi');
  return {
    shared: accounts.some((account) => account.shared),
    twilio: twilio ? { accountSid: twilio.external_id, ...openProviderSecrets<TwilioSecrets>(box, twilio) } : undefined,
    vapiApiKey: vapi ? openProviderSecrets<VapiSecrets>(box, vapi).apiKey : undefined,
  };
}

/**
 * A number that receives calls (`matchOn: to`) must be the company's own at its provider: one
 * of its Twilio account's incoming numbers, or one of its VAPI org's numbers. Otherwise any
 * company could claim a line it does not have.
 */
export async function proveNumberOwned(config: ProviderConfig, accounts: CompanyAccounts, e164: string): Promise<void> {
  if (!accounts.twilio && !accounts.vapiApiKey) {
    throw new PhoneNumberNotOwnedError('register your Twilio account or VAPI org first: a number that receives calls must be one of its numbers');
  }
  const owned = await askingProvider(async () => {
    if (accounts.twilio) {
      const listed = await createTwilioRest({ baseUrl: config.TWILIO_API_BASE_URL, credentials: accounts.twilio }).incomingNumbers({ phoneNumber: e164 });
      if (listed.some((number) => number.phoneNumber === e164)) return true;
    }
    if (accounts.vapiApiKey) {
      const numbers = await createVapiRest({ baseUrl: config.VAPI_API_BASE_URL, apiKey: accounts.vapiApiKey }).phoneNumbers();
      if (numbers.some((number) => number.number === e164)) return true;
    }
    return false;
  });
  if (!owned)
    throw new PhoneNumberNotOwnedError(
      'this number is not one of your provider account\'s numbers: only a number your account owns can be registered with matchOn "to"',
    );
}
