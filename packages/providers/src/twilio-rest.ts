import { z } from 'zod';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import { jsonBody, providerRequest } from './provider-request';

/** What Twilio accepts as Basic auth for an account: its own token, or an API key of that very account. */
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  apiKeySid?: string | undefined;
  apiKeySecret?: string | undefined;
}

const PROVIDER = 'Twilio';
const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const API_PATH = '/2010-04-01/';
const MAX_PAGES = 10_000;

/** The API key when one is configured (main-account keys are refused on subaccounts: the key must be the account's). */
export function twilioAuthorization(credentials: TwilioCredentials, use: 'preferred' | 'auth-token' | 'api-key' = 'preferred'): string {
  const apiKey = use === 'auth-token' ? undefined : credentials.apiKeySid;
  if (use === 'api-key' && !apiKey) throw new Error('twilioAuthorization: no API key configured');
  const [username, password] = apiKey ? [apiKey, credentials.apiKeySecret ?? ''] : [credentials.accountSid, credentials.authToken];
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

const accountBody = z.object({ sid: z.string(), status: z.string().optional(), friendly_name: z.string().nullable().optional() });
const incomingNumbersPage = z.object({
  incoming_phone_numbers: z.array(z.object({ phone_number: z.string(), friendly_name: z.string().nullable().optional() })),
  next_page_uri: z.string().nullable().optional(),
});
const recordingsPage = z.object({
  recordings: z.array(
    z.object({
      sid: z.string(),
      call_sid: z.string(),
      status: z.string(),
      channels: z.coerce.number(),
      duration: z.string().nullable(),
      start_time: z.string(),
    }),
  ),
  next_page_uri: z.string().nullable().optional(),
});
const callBody = z.object({
  sid: z.string(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  forwarded_from: z.string().nullable().optional(),
  direction: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  parent_call_sid: z.string().nullable().optional(),
});

export interface IncomingNumber {
  phoneNumber: string;
  friendlyName: string | null;
}

export type TwilioRecordingListing = z.infer<typeof recordingsPage>['recordings'][number];

export interface TwilioCallRecord {
  from: string | null;
  to: string | null;
  forwardedFrom: string | null;
  direction: string | null;
  parentCallSid: string | null;
}

/**
 * The REST subset callvault calls, for one account. The base URL is configuration, never taken
 * from a webhook; next-page links are followed only under the API path of that base, so the
 * account's credentials never travel to another host.
 */
export function createTwilioRest(input: { baseUrl: string; credentials: TwilioCredentials; timeoutMs?: number }) {
  const { credentials } = input;
  if (!ACCOUNT_SID.test(credentials.accountSid)) throw new Error('createTwilioRest: not an AccountSid');
  const accountPath = `${API_PATH}Accounts/${credentials.accountSid}`;
  const request = (path: string, options: { method?: 'GET' | 'DELETE'; signal?: AbortSignal; use?: Parameters<typeof twilioAuthorization>[1] } = {}) =>
    providerRequest({
      provider: PROVIDER,
      url: `${input.baseUrl}${path}`,
      authorization: twilioAuthorization(credentials, options.use),
      ...(options.method ? { method: options.method } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    });
  const nextPath = (next: string | null | undefined) => {
    if (!next) return null;
    if (!next.startsWith(API_PATH)) throw new ProviderUnavailableError('Twilio answered with an unexpected next page');
    return next;
  };
  const parsed = async <T>(response: Response, schema: z.ZodType<T>): Promise<T> => {
    const result = schema.safeParse(await jsonBody(response, PROVIDER));
    if (!result.success) throw new ProviderUnavailableError('Twilio answered with an unexpected body');
    return result.data;
  };

  return {
    /**
     * Proves the credentials own the account (Twilio's documented check, side-effect free):
     * 200 naming this account with them, 401 otherwise. `use` picks the auth token or the API key.
     */
    async checkAccount(use: 'auth-token' | 'api-key' = 'auth-token'): Promise<{ status: string | null }> {
      const response = await request(`${accountPath}.json`, { use });
      if (response.status === 404) {
        await response.body?.cancel();
        throw new ProviderRejectedError('Twilio does not know this account');
      }
      const account = await parsed(response, accountBody);
      if (account.sid !== credentials.accountSid) throw new ProviderRejectedError('the credentials belong to another Twilio account');
      return { status: account.status ?? null };
    },

    /** Every incoming number of the account, or only `phoneNumber` when given (Twilio filters exactly). */
    async incomingNumbers(filter: { phoneNumber?: string } = {}): Promise<IncomingNumber[]> {
      const numbers: IncomingNumber[] = [];
      const query = new URLSearchParams({ PageSize: '1000', ...(filter.phoneNumber ? { PhoneNumber: filter.phoneNumber } : {}) });
      let path: string | null = `${accountPath}/IncomingPhoneNumbers.json?${query}`;
      for (let page = 0; path; page += 1) {
        if (page >= 100) throw new ProviderUnavailableError('Twilio listed too many pages of incoming numbers');
        const body = await parsed(await request(path), incomingNumbersPage);
        for (const entry of body.incoming_phone_numbers) numbers.push({ phoneNumber: entry.phone_number, friendlyName: entry.friendly_name ?? null });
        path = nextPath(body.next_page_uri);
      }
      return numbers;
    },

    /** Recordings created since a day (Twilio filters by day), page by page. */
    async *recordingsSince(since: Date, signal?: AbortSignal): AsyncGenerator<TwilioRecordingListing> {
      const day = since.toISOString().slice(0, 10);
      let path: string | null = `${accountPath}/Recordings.json?${new URLSearchParams({ 'DateCreated>': day, PageSize: '1000' })}`;
      for (let page = 0; path && page < MAX_PAGES; page += 1) {
        const body = await parsed(await request(path, signal ? { signal } : {}), recordingsPage);
        yield* body.recordings;
        path = nextPath(body.next_page_uri);
      }
    },

    /** The call as Twilio holds it (numbers included), or undefined when Twilio does not know it. */
    async call(callSid: string): Promise<TwilioCallRecord | undefined> {
      if (!/^CA[0-9a-f]{32}$/.test(callSid)) throw new Error('call: not a CallSid');
      const response = await request(`${accountPath}/Calls/${callSid}.json`);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      const call = await parsed(response, callBody);
      return {
        from: call.from ?? null,
        to: call.to ?? null,
        forwardedFrom: call.forwarded_from ?? null,
        direction: call.direction ?? null,
        parentCallSid: call.parent_call_sid ?? null,
      };
    },

    /** Deletes Twilio's copy of a recording; 404 counts as gone. */
    async deleteRecording(recordingSid: string): Promise<void> {
      if (!/^RE[0-9a-f]{32}$/.test(recordingSid)) throw new Error('deleteRecording: not a RecordingSid');
      const response = await request(`${accountPath}/Recordings/${recordingSid}.json`, { method: 'DELETE' });
      await response.body?.cancel();
      if (response.status !== 204 && response.status !== 404) throw new ProviderUnavailableError(`Twilio answered ${response.status} to the deletion`);
    },
  };
}

export type TwilioRest = ReturnType<typeof createTwilioRest>;
