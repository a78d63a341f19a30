import { mintToken, parseTtl } from '@callvault/auth';
import {
  createCompany,
  createPhoneNumber,
  createPlatformAdmin,
  createUser,
  getWebhookEvent,
  insertOutboxJobs,
  migrateToLatest,
  upsertProviderAccount,
  withCompany,
  withPlatform,
  type Role,
} from '@callvault/db';
import { describeJob } from '@callvault/queue';
import { createTwilioRest } from '@callvault/providers';
import { checkProviderAccounts } from './account-check';
import type { CliContext } from './cli-context';

export type Flags = Record<string, string | boolean | undefined>;

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value.length === 0) throw new Error(`--${name} is required`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function uuidFlag(flags: Flags, name: string): string {
  const value = required(flags, name);
  if (!UUID.test(value)) throw new Error(`--${name} must be a UUID`);
  return value;
}

/** Each command prints JSON on stdout (scripts can read it) and returns nothing else. */
export const commands: Record<string, (context: CliContext, flags: Flags, args: string[]) => Promise<unknown>> = {
  async migrate(context) {
    const applied = await migrateToLatest(context.ownerDb(), context.config.DATABASE_APP_PASSWORD);
    return { applied };
  },
  async bootstrap(context, flags) {
    const subject = required(flags, 'subject');
    const created = await withPlatform(context.db, (tx) => createPlatformAdmin(tx, { subject }));
    return { subject, created: created !== undefined };
  },
  async token(context, flags) {
    if (!context.config.AUTH_JWT_SECRET) throw new Error('AUTH_JWT_SECRET is required to mint tokens');
    const ttlSeconds = parseTtl(typeof flags.ttl === 'string' ? flags.ttl : '1h');
    const token = await mintToken({
      secret: context.config.AUTH_JWT_SECRET,
      subject: required(flags, 'subject'),
      ttlSeconds,
      ...(context.config.AUTH_ISSUER ? { issuer: context.config.AUTH_ISSUER } : {}),
      ...(context.config.AUTH_AUDIENCE ? { audience: context.config.AUTH_AUDIENCE } : {}),
    });
    return { token, expiresInSeconds: ttlSeconds };
  },
  async 'company create'(context, flags) {
    const retention = typeof flags['retention-days'] === 'string' ? Number(flags['retention-days']) : null;
    if (retention !== null && (!Number.isInteger(retention) || retention < 1)) throw new Error('--retention-days must be a positive whole number');
    const company = await withPlatform(context.db, (tx) => createCompany(tx, { name: required(flags, 'name'), retentionDays: retention }));
    return { id: company.id, name: company.name };
  },
  async 'user create'(context, flags) {
    const role = required(flags, 'role') as Role;
    if (!['agent', 'manager', 'company_admin'].includes(role)) throw new Error('--role must be agent, manager or company_admin');
    const user = await withCompany(context.db, uuidFlag(flags, 'company'), (tx) =>
      createUser(tx, {
        subject: required(flags, 'subject'),
        role,
        managerId: typeof flags.manager === 'string' ? flags.manager : null,
        email: typeof flags.email === 'string' ? flags.email : null,
        name: typeof flags.name === 'string' ? flags.name : null,
      }),
    );
    return { id: user.id, subject: user.subject, role: user.role, companyId: user.company_id };
  },
  async 'twilio set'(context, flags) {
    const accountSid = required(flags, 'account-sid');
    if (!/^AC[0-9a-f]{32}$/.test(accountSid)) throw new Error('--account-sid must be AC followed by 32 hex digits');
    const authToken = required(flags, 'auth-token');
    const companyId = uuidFlag(flags, 'company');
    // As through the API: Twilio confirms the credentials before anything is stored.
    await createTwilioRest({ baseUrl: context.config.TWILIO_API_BASE_URL, credentials: { accountSid, authToken } }).checkAccount('auth-token');
    const shared = flags.shared === true;
    const account = await withCompany(context.db, companyId, (tx) =>
      upsertProviderAccount(tx, context.box(), { provider: 'twilio', externalId: accountSid, secrets: { authToken }, shared, proven: true }),
    );
    return { id: account.id, accountSid: account.external_id, authTokenSet: true, shared: account.shared };
  },
  async 'accounts check'(context, flags) {
    return checkProviderAccounts({ db: context.db, config: context.config, box: context.box(), detach: flags.detach === true });
  },
  async 'number add'(context, flags) {
    const matchOn = required(flags, 'match-on');
    if (matchOn !== 'from' && matchOn !== 'to') throw new Error('--match-on must be from or to');
    const number = await withCompany(context.db, uuidFlag(flags, 'company'), (tx) =>
      createPhoneNumber(tx, { e164: required(flags, 'e164'), matchOn, ownerUserId: typeof flags.owner === 'string' ? flags.owner : null }),
    );
    return { id: number.id, e164: number.e164, matchOn: number.match_on };
  },
  // Like the gateway, the CLI records operational jobs in the outbox; the operations worker runs them.
  async replay(context, _flags, args) {
    const eventId = args[0] ?? '';
    if (!UUID.test(eventId)) throw new Error('usage: replay <eventId> (a webhook event UUID)');
    const job = await withPlatform(context.db, async (tx) => {
      if (!(await getWebhookEvent(tx, eventId))) throw new Error(`no webhook event ${eventId}`);
      const replay = describeJob('event-replay', { eventId, requestedAt: new Date().toISOString() });
      await insertOutboxJobs(tx, [replay]);
      return replay;
    });
    return { eventId, jobId: job.jobId, status: 'queued' };
  },
  async sync(context, flags) {
    const companyId = uuidFlag(flags, 'company');
    const job = describeJob('provider-sync', { companyId, requestedAt: new Date().toISOString() });
    await withCompany(context.db, companyId, (tx) => insertOutboxJobs(tx, [job]));
    return { jobId: job.jobId, status: 'queued' };
  },
};

export const USAGE = `callvault <command> [flags]

  migrate                                   apply database migrations (as the schema owner)
  bootstrap --subject S                     create a superadmin for JWT subject S
  token --subject S [--ttl 1h]              mint an HS256 token for local use
  company create --name N [--retention-days D]
  user create --company C --subject S --role agent|manager|company_admin [--manager M] [--email E] [--name N]
  twilio set --company C --account-sid AC... --auth-token T [--shared]
                                            proven with Twilio first; --shared: one account for several companies
  accounts check [--detach]                 prove every registration with its stored credentials; report
                                            (and with --detach remove) refused ones and accounts held twice
  number add --company C --e164 +1... --match-on from|to [--owner USER_ID]
  replay <eventId>                          queue a quarantined webhook event for tenant resolution again (the operations worker runs it)
  sync --company C                          queue a reconciliation with the company's providers
`;
