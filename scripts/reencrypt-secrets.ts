import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@callvault/config';
import { createSecretBox, type SecretBox } from '@callvault/crypto';
import {
  createDb,
  listCompaniesWithProviderAccounts,
  lockProviderAccount,
  listProviderAccounts,
  hasLegacySeal,
  openProviderSecrets,
  upsertProviderAccount,
  withCompany,
  withPlatform,
  type Db,
  type ProviderSecrets,
} from '@callvault/db';
import { loadOrCreateLocalSecrets } from './local-secrets';

export interface ReencryptReport {
  activeKeyId: string;
  examined: number;
  resealed: number;
  /** Accounts by the key id that sealed them before the run. */
  byKeyBefore: Record<string, number>;
}

/**
 * Re-seals every provider account's credentials with the active (first) key of SECRETS_KEY (and
 * the current binding to company, provider and account id), one
 * company transaction at a time, the row locked while it is rewritten. Idempotent: an account
 * already sealed with the active key is left alone, so the run can be repeated after a failure.
 * Once it reports nothing left under an old key id, that key can be removed from SECRETS_KEY.
 */
export async function reencryptProviderSecrets(db: Db, box: SecretBox, options: { dryRun?: boolean } = {}): Promise<ReencryptReport> {
  const report: ReencryptReport = { activeKeyId: box.activeKeyId, examined: 0, resealed: 0, byKeyBefore: {} };
  const companyIds = await withPlatform(db, (tx) => listCompaniesWithProviderAccounts(tx));
  for (const companyId of companyIds) {
    await withCompany(db, companyId, async (tx) => {
      for (const listed of await listProviderAccounts(tx)) {
        const account = await lockProviderAccount(tx, listed.provider);
        if (!account) continue;
        report.examined += 1;
        const kid = box.keyIdOf(account.secrets_sealed);
        report.byKeyBefore[kid] = (report.byKeyBefore[kid] ?? 0) + 1;
        // Seals from before the company/provider/account binding are rewritten even under the active key.
        if (kid === box.activeKeyId && !hasLegacySeal(account)) continue;
        // Opening proves the old key is still configured; a failure stops the run before any write of this company.
        const secrets = openProviderSecrets<ProviderSecrets>(box, account);
        if (!options.dryRun) {
          await upsertProviderAccount(tx, box, { provider: account.provider, externalId: account.external_id, secrets, settings: account.settings });
        }
        report.resealed += 1;
      }
    });
  }
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Local runs keep their keys in .local/secrets.env; anywhere else the environment must carry them.
  const localSecrets = join(resolve(import.meta.dirname, '..'), '.local');
  const env =
    !process.env.SECRETS_KEY && existsSync(join(localSecrets, 'secrets.env')) ? { ...loadOrCreateLocalSecrets(localSecrets), ...process.env } : process.env;
  const config = loadConfig(env, ['SECRETS_KEY']);
  const dryRun = process.argv.includes('--dry-run');
  const db = createDb(config.DATABASE_APP_URL, { poolSize: 2, applicationName: 'callvault-reencrypt' });
  try {
    const report = await reencryptProviderSecrets(db, createSecretBox(config.SECRETS_KEY!), { dryRun });
    const before =
      Object.entries(report.byKeyBefore)
        .map(([kid, count]) => `${kid}: ${count}`)
        .join(', ') || 'none';
    process.stdout.write(
      `${dryRun ? '[dry run] ' : ''}provider accounts: ${report.examined} examined (by key before: ${before}); ${report.resealed} ${dryRun ? 'would be' : ''} re-sealed with "${report.activeKeyId}"\n`,
    );
  } finally {
    await db.destroy();
  }
}
