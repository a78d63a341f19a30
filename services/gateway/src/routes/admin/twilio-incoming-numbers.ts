import { z } from 'zod';
import { ProviderRejectedError, ProviderUnavailableError } from './admin-errors';

export interface IncomingNumber {
  phoneNumber: string;
  friendlyName: string | null;
}

const pageSchema = z.object({
  incoming_phone_numbers: z.array(z.object({ phone_number: z.string(), friendly_name: z.string().nullable().optional() })),
  next_page_uri: z.string().nullable().optional(),
});

const MAX_PAGES = 100;

/**
 * Every incoming number of a Twilio account (REST `IncomingPhoneNumbers.json`), following
 * `next_page_uri`. Pages are only fetched from the configured API base: a next-page link
 * elsewhere is refused, so the account's credentials never travel to another host.
 */
export async function listTwilioIncomingNumbers(input: { baseUrl: string; accountSid: string; authToken: string; timeoutMs?: number }): Promise<IncomingNumber[]> {
  const authorization = `Basic ${Buffer.from(`${input.accountSid}:${input.authToken}`).toString('base64')}`;
  const numbers: IncomingNumber[] = [];
  let url: string | null = `${input.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(input.accountSid)}/IncomingPhoneNumbers.json?PageSize=1000`;
  for (let page = 0; url; page += 1) {
    if (page >= MAX_PAGES) throw new ProviderUnavailableError('Twilio listed too many pages of incoming numbers');
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(input.timeoutMs ?? 15_000) });
    } catch {
      throw new ProviderUnavailableError('Twilio could not be reached');
    }
    if (response.status === 401 || response.status === 403) throw new ProviderRejectedError('Twilio rejected the stored credentials');
    if (!response.ok) throw new ProviderUnavailableError(`Twilio answered ${response.status}`);
    const parsed = pageSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ProviderUnavailableError('Twilio answered with an unexpected body');
    for (const entry of parsed.data.incoming_phone_numbers) numbers.push({ phoneNumber: entry.phone_number, friendlyName: entry.friendly_name ?? null });
    const next = parsed.data.next_page_uri;
    if (next && !next.startsWith('/')) throw new ProviderUnavailableError('Twilio answered with an unexpected next page');
    url = next ? `${input.baseUrl}${next}` : null;
  }
  return numbers;
}
