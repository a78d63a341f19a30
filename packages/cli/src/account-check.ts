import type { Config } from '@callvault/config';
import type { SecretBox } from '@callvault/crypto';
import {
  detachProviderAccount,
  listAllProviderAccounts,
  markProviderAccountProven,
  openProviderSecrets,
  withCompany,
  withPlatform,
  type Db,
  type ProviderAccount,
  type TwilioSecrets,
  type VapiSecrets,
} from '@callvault/db';
import { createTwilioRest, createVapiRest, ProviderRejectedError } from '@callvault/providers';

export interface AccountFinding {
  companyId: string;
  provider: string;
  externalId: string;
  reason: string;
  detached: boolean;
}

export interface AccountCheckReport {
  examined: number;
  proven: number;
  /** Registrations whose stored credentials the provider refused (or that cannot be proven). */
  refused: AccountFinding[];
  /** Unshared registrations of an account that another company registered too. */
  heldTwice: AccountFinding[];
  /** The provider could not be asked: nothing was concluded about these. */
  unreachable: AccountFinding[];
}

async function prove(config: Config, box: SecretBox, account: ProviderAccount): Promise<void> {
  if (account.provider === 'twilio') {
    const secrets = openProviderSecrets<TwilioSecrets>(box, account);
    await createTwilioRest({ baseUrl: config.TWILIO_API_BASE_URL, credentials: { accountSid: account.external_id, ...secrets } }).checkAccount('auth-token');
    return;
  }
  const { apiKey } = openProviderSecrets<VapiSecrets>(box, account);
  if (!apiKey) throw new ProviderRejectedError('no private API key is registered, so the org cannot be proven');
  await createVapiRest({ baseUrl: config.VAPI_API_BASE_URL, apiKey }).checkOrg(account.external_id);
}

/**
 * Registrations made before ownership had to be proven: each is proven now with its stored
 * credentials, and every account registered unshared by more than one company is reported.
 * With `detach`, registrations the provider refuses are removed, and so are unshared duplicates,
 * except the one registration that was proven through the API (if exactly one was): the rightful
 * owner registers again through the API, with proof. Unreachable providers decide nothing.
 */
export async function checkProviderAccounts(input: { db: Db; config: Config; box: SecretBox; detach: boolean }): Promise<AccountCheckReport> {
  const accounts = await withPlatform(input.db, (tx) => listAllProviderAccounts(tx));
  const report: AccountCheckReport = { examined: accounts.length, proven: 0, refused: [], heldTwice: [], unreachable: [] };
  const finding = (account: ProviderAccount, reason: string, detached = false): AccountFinding => ({
    companyId: account.company_id,
    provider: account.provider,
    externalId: account.external_id,
    reason,
    detached,
  });
  const detach = (account: ProviderAccount) => withCompany(input.db, account.company_id, (tx) => detachProviderAccount(tx, account.id));

  const standing: ProviderAccount[] = [];
  const passed = new Set<ProviderAccount>();
  for (const account of accounts) {
    try {
      await prove(input.config, input.box, account);
      passed.add(account);
      standing.push(account);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof ProviderRejectedError) {
        report.refused.push(finding(account, reason, input.detach && (await detach(account))));
      } else {
        report.unreachable.push(finding(account, reason));
        standing.push(account);
      }
    }
  }

  const byAccount = new Map<string, ProviderAccount[]>();
  for (const account of standing) {
    const key = `${account.provider}:${account.external_id}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), account]);
  }
  const heldTwice = new Set<ProviderAccount>();
  for (const holders of byAccount.values()) {
    if (holders.length < 2 || holders.every((account) => account.shared)) continue;
    const provenThroughApi = holders.filter((account) => account.proven_at !== null && !account.shared);
    const keep = provenThroughApi.length === 1 ? provenThroughApi[0] : undefined;
    for (const account of holders) {
      if (account === keep) continue;
      heldTwice.add(account);
      report.heldTwice.push(finding(account, `registered by ${holders.length} companies without being shared`, input.detach && (await detach(account))));
    }
  }
  // Proven, and the only holder of its account: from now on it counts as registered with proof.
  for (const account of passed) {
    if (heldTwice.has(account)) continue;
    report.proven += 1;
    if (account.proven_at === null) await withCompany(input.db, account.company_id, (tx) => markProviderAccountProven(tx, account.id));
  }
  return report;
}
