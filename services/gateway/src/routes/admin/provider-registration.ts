import type { FastifyRequest } from 'fastify';
import type { SecretBox } from '@callvault/crypto';
import {
  findRegistrationsElsewhere,
  getProviderAccount,
  lockProviderAccount,
  upsertProviderAccount,
  withPlatform,
  type CompanyTx,
  type Provider,
  type ProviderAccount,
  type ProviderAccountInput,
} from '@callvault/db';
import { ConflictError, ForbiddenError, ProviderAccountUnavailableError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { translatingViolations, withAdminCompany } from './admin-access';

/**
 * Who may touch a registration: only a superadmin shares an account, and a shared one is the
 * platform operator's to change (its companies are told apart by numbers the operator assigns).
 */
export function checkSharingRights(request: FastifyRequest, requestedShared: boolean | undefined, existing: ProviderAccount | undefined): void {
  if (request.principal.kind === 'superadmin') return;
  if (requestedShared !== undefined) throw new ForbiddenError('only a superadmin registers a shared provider account');
  if (existing?.shared) throw new ForbiddenError('this provider account is shared and managed by the platform operator');
}

/** The registration a settings change starts from, read in its own transaction (the provider is asked between). */
export async function readRegistration(deps: GatewayDeps, request: FastifyRequest, companyId: string | undefined, provider: Provider) {
  return withAdminCompany(deps, request, companyId, async (tx) => ({ companyId: tx.scope.companyId, existing: await getProviderAccount(tx, provider) }));
}

/**
 * Writes a registration once it is proven: only if nobody changed it since it was read, and only
 * if no other company holds the account (unless both are shared by a superadmin). The database
 * enforces the same for proven rows; this check also covers rows older than the proof.
 */
export async function writeRegistration(
  deps: GatewayDeps,
  request: FastifyRequest,
  box: SecretBox,
  input: {
    companyId: string;
    before: ProviderAccount | undefined;
    registration: ProviderAccountInput & { shared: boolean };
    audit: (tx: CompanyTx, account: ProviderAccount) => Promise<void>;
  },
): Promise<ProviderAccount> {
  const { provider, externalId, shared } = input.registration;
  return translatingViolations(
    async () => {
      const elsewhere = await withPlatform(deps.db, (tx) => findRegistrationsElsewhere(tx, provider, externalId, input.companyId));
      if (elsewhere.count > 0 && !(shared && elsewhere.allShared)) throw new ProviderAccountUnavailableError();
      return withAdminCompany(deps, request, input.companyId, async (tx) => {
        const current = await lockProviderAccount(tx, provider);
        if (current?.updated_at.getTime() !== input.before?.updated_at.getTime())
          throw new ConflictError(`${provider} settings were changed concurrently; retry`);
        const account = await upsertProviderAccount(tx, box, input.registration);
        await input.audit(tx, account);
        return account;
      });
    },
    {
      // Two first registrations of one company racing meet on (company, provider): a retry settles it.
      conflict: (violation) =>
        violation.constraint === 'provider_accounts_company_id_provider_key'
          ? new ConflictError(`${provider} settings were changed concurrently; retry`)
          : new ProviderAccountUnavailableError(),
    },
  );
}
