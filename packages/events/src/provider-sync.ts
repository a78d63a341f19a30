import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '@callvault/crypto';
import { listProviderAccounts, markProviderAccountSynced, openProviderSecrets, withCompany, type ProviderAccount, type TwilioSecrets } from '@callvault/db';
import { createTwilioRest } from '@callvault/providers';
import type { JobContext, JobPayload } from '@callvault/queue';
import type { EventsDeps } from './events-deps';
import { commitEvents } from './intake-commit';
import { SYNC_REQUEST_PATH } from './stored-events';
import { candidatesOf, type Candidates } from './tenant-resolution';
import { twilioIntakeEvent } from './twilio/twilio-kinds';
/** How far back the first sync of an account looks, and how much every later one overlaps. */
const FIRST_SYNC_DAYS = 7;
const OVERLAP_MS = 24 * 3600 * 1000;

export interface SyncReport {
  listed: number;
  accepted: number;
  duplicates: number;
  quarantined: number;
  rejected: number;
}

function rfc2822(value: string): string {
  return new Date(value).toUTCString().replace('GMT', '+0000');
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Reconciliation: list the company's Twilio recordings since the last sync and feed each one
 * through the same intake as a `completed` callback. A recording whose webhook did arrive is an
 * exact duplicate (same idempotency key) and changes nothing; one that never arrived is archived.
 */
export async function processProviderSync(
  deps: EventsDeps & { box: SecretBox },
  payload: JobPayload<'provider-sync'>,
  context: JobContext,
): Promise<SyncReport> {
  const startedAt = new Date();
  const accounts = await withCompany(deps.db, payload.companyId, (tx) => listProviderAccounts(tx));
  const report: SyncReport = { listed: 0, accepted: 0, duplicates: 0, quarantined: 0, rejected: 0 };
  for (const account of accounts) {
    if (account.provider !== 'twilio') continue;
    await syncTwilioAccount(deps, deps.box, account, report, context.signal);
    await withCompany(deps.db, payload.companyId, (tx) => markProviderAccountSynced(tx, account.id, startedAt));
  }
  context.log.info({ ...report }, 'provider sync finished');
  return report;
}

/**
 * What the listing proves, like a webhook's signature: the companies whose own registered token
 * is the one the listing was made with. On an account a superadmin shares that is every sharing
 * company (their numbers then tell them apart); on anyone else's, the company alone.
 */
async function candidatesListedWith(deps: EventsDeps, accountSid: string, secrets: TwilioSecrets): Promise<Candidates> {
  const registrations = await deps.directory.lookup('twilio', accountSid);
  return candidatesOf(registrations.filter((entry) => sameSecret((entry.secrets as TwilioSecrets).authToken, secrets.authToken)).map((entry) => entry.account));
}

async function syncTwilioAccount(deps: EventsDeps, box: SecretBox, account: ProviderAccount, report: SyncReport, signal: AbortSignal): Promise<void> {
  const since = account.last_synced_at ? new Date(account.last_synced_at.getTime() - OVERLAP_MS) : new Date(Date.now() - FIRST_SYNC_DAYS * 24 * 3600 * 1000);
  const secrets = openProviderSecrets<TwilioSecrets>(box, account);
  const candidates = await candidatesListedWith(deps, account.external_id, secrets);
  const rest = createTwilioRest({ baseUrl: deps.twilioApiBaseUrl, credentials: { accountSid: account.external_id, ...secrets } });
  for await (const listed of rest.recordingsSince(since, signal)) {
    report.listed += 1;
    if (listed.status !== 'completed') continue;
    const params: Record<string, string> = {
      AccountSid: account.external_id,
      CallSid: listed.call_sid,
      RecordingSid: listed.sid,
      RecordingUrl: `${deps.twilioApiBaseUrl}/2010-04-01/Accounts/${account.external_id}/Recordings/${listed.sid}`,
      RecordingStatus: 'completed',
      RecordingChannels: String(listed.channels),
      RecordingStartTime: rfc2822(listed.start_time),
      ...(listed.duration ? { RecordingDuration: listed.duration } : {}),
    };
    // Stored like a webhook; the effects loop applies it, its fetch in the backfill lane.
    const [result] = await commitEvents(deps.db, [
      twilioIntakeEvent(deps.resolution, { kind: 'recording-status', params, candidates, tag: undefined, requestPath: SYNC_REQUEST_PATH }),
    ]);
    if (result!.duplicate) report.duplicates += 1;
    else report[result!.status] += 1;
  }
}
