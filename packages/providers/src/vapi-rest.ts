import { z } from 'zod';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import { jsonBody, providerRequest } from './provider-request';

const PROVIDER = 'VAPI';

const orgBody = z.object({ id: z.string() });
const phoneNumbersBody = z.array(z.object({ id: z.string(), number: z.string().nullable().optional(), assistantId: z.string().nullable().optional() }));

export interface VapiPhoneNumber {
  id: string;
  number: string | null;
  assistantId: string | null;
}

/** VAPI's REST subset callvault calls, with one org's private API key. */
export function createVapiRest(input: { baseUrl: string; apiKey: string; timeoutMs?: number }) {
  const request = (path: string) =>
    providerRequest({
      provider: PROVIDER,
      url: `${input.baseUrl}${path}`,
      authorization: `Bearer ${input.apiKey}`,
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    });
  const parsed = async <T>(response: Response, schema: z.ZodType<T>): Promise<T> => {
    const result = schema.safeParse(await jsonBody(response, PROVIDER));
    if (!result.success) throw new ProviderUnavailableError('VAPI answered with an unexpected body');
    return result.data;
  };
  return {
    /** Proves the key belongs to the org: `GET /org/{orgId}` answers 200 with that org, 401 otherwise. */
    async checkOrg(orgId: string): Promise<void> {
      const response = await request(`/org/${encodeURIComponent(orgId)}`);
      if (response.status === 404) {
        await response.body?.cancel();
        throw new ProviderRejectedError('VAPI does not know this org for that key');
      }
      const org = await parsed(response, orgBody);
      if (org.id !== orgId) throw new ProviderRejectedError('the API key belongs to another VAPI org');
    },
    /** The org's phone numbers. */
    async phoneNumbers(): Promise<VapiPhoneNumber[]> {
      const numbers = await parsed(await request('/phone-number'), phoneNumbersBody);
      return numbers.map((entry) => ({ id: entry.id, number: entry.number ?? null, assistantId: entry.assistantId ?? null }));
    },
  };
}

export type VapiRest = ReturnType<typeof createVapiRest>;
