import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createPhoneNumber,
  deleteCompanyPhoneNumber,
  getCompanyPhoneNumber,
  getCompanyUser,
  listCompanyPhoneNumbersPage,
  updateCompanyPhoneNumber,
  type CompanyTx,
} from '@callvault/db';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, translatingViolations, withAdminCompany } from './admin-access';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { E164, phoneNumberDto, toPhoneNumberDto } from './admin-dto';
import { checkNumberRemovalRights, checkNumberRights } from './number-rights';
import type { SecretBoxSource } from './secret-box-source';

const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const matchOn = z.enum(['from', 'to']).describe('from: calls placed from this number; to: calls received on it');
const numberFields = {
  e164: E164,
  matchOn,
  ownerUserId: z.string().uuid().nullable().optional().describe('the user who owns calls on this number'),
  vapiAssistantId: z.string().trim().min(1).max(100).nullable().optional(),
  label: z.string().trim().min(1).max(200).nullable().optional(),
};

const createBody = z.object({ companyId, ...numberFields }).strict();
const patchBody = z
  .object(numberFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
const companyQuery = z.object({ companyId }).strict();
const listQuery = z.object({ companyId, matchOn: matchOn.optional(), ownerUserId: z.string().uuid().optional(), ...pageQuery }).strict();
const idParams = z.object({ id: z.string().uuid() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 503: problem };

/** Which company holds a number is never told: a taken number is just taken. */
const violations = {
  unique: 'this number is already registered for this matchOn',
  foreignKey: 'ownerUserId must be a user of the same company',
  check: 'e164 must be an E.164 number',
};

async function checkOwner(tx: CompanyTx, ownerUserId: string | null | undefined): Promise<void> {
  if (ownerUserId && !(await getCompanyUser(tx, ownerUserId))) throw new BadRequestError(violations.foreignKey);
}

/** The registry ingest resolves tenants with (number + matchOn → company, owner). */
export function registerPhoneNumberRoutes(app: FastifyInstance, deps: GatewayDeps, secretBox: SecretBoxSource): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['phone-numbers'];

  routes.get('/v1/phone-numbers', { schema: { tags, querystring: listQuery, response: { 200: pageOf(phoneNumberDto), ...errors } } }, async (request) => {
    const { limit, cursor, companyId: requested, ...filters } = request.query;
    return withAdminCompany(deps, request, requested, async (tx) => {
      const fingerprint = { route: 'phone-numbers', companyId: tx.scope.companyId, filters };
      const after = decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR);
      const rows = await listCompanyPhoneNumbersPage(tx, { ...filters, limit: limit + 1, after });
      await auditSuperadminRead(tx, request, { action: 'phone_number.list', targetType: 'phone_number', targetId: null });
      return pageFrom(deps, rows, limit, fingerprint, toPhoneNumberDto);
    });
  });

  routes.get(
    '/v1/phone-numbers/:id',
    { schema: { tags, params: idParams, querystring: companyQuery, response: { 200: phoneNumberDto, ...errors } } },
    async (request) => {
      return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const number = await getCompanyPhoneNumber(tx, request.params.id);
        if (!number) throw new NotFoundError('phone number not found');
        await auditSuperadminRead(tx, request, { action: 'phone_number.read', targetType: 'phone_number', targetId: number.id });
        return toPhoneNumberDto(number);
      });
    },
  );

  routes.post(
    '/v1/phone-numbers',
    { schema: { tags, body: createBody, querystring: companyQuery, response: { 201: phoneNumberDto, ...errors } } },
    async (request, reply) => {
      const { companyId: _companyId, ...fields } = request.body;
      const requested = companyIdFrom(request.query, request.body);
      await checkNumberRights(deps, request, secretBox, requested, fields);
      const number = await translatingViolations(
        () =>
          withAdminCompany(deps, request, requested, async (tx) => {
            await checkOwner(tx, fields.ownerUserId);
            const created = await createPhoneNumber(tx, fields);
            await audit(tx, request, request.principal, {
              companyId: tx.scope.companyId,
              action: 'phone_number.create',
              targetType: 'phone_number',
              targetId: created.id,
              details: { e164: created.e164, matchOn: created.match_on, ownerUserId: created.owner_user_id },
            });
            return created;
          }),
        violations,
      );
      return reply.code(201).send(toPhoneNumberDto(number));
    },
  );

  routes.patch(
    '/v1/phone-numbers/:id',
    { schema: { tags, params: idParams, body: patchBody, querystring: companyQuery, response: { 200: phoneNumberDto, ...errors } } },
    async (request) => {
      const patch = request.body;
      const requested = request.query.companyId;
      const current = await withAdminCompany(deps, request, requested, (tx) => getCompanyPhoneNumber(tx, request.params.id));
      if (!current) throw new NotFoundError('phone number not found');
      // A new number or matching side is a new claim: it meets the rules of a new number.
      const target = { e164: patch.e164 ?? current.e164, matchOn: patch.matchOn ?? current.match_on, ownerUserId: patch.ownerUserId };
      if (target.e164 !== current.e164 || target.matchOn !== current.match_on) await checkNumberRights(deps, request, secretBox, requested, target);
      const number = await translatingViolations(
        () =>
          withAdminCompany(deps, request, requested, async (tx) => {
            const before = await getCompanyPhoneNumber(tx, request.params.id);
            if (!before) throw new NotFoundError('phone number not found');
            if (before.e164 !== current.e164 || before.match_on !== current.match_on) throw new ConflictError('the number was changed concurrently; retry');
            await checkOwner(tx, patch.ownerUserId);
            const updated = (await updateCompanyPhoneNumber(tx, before.id, patch))!;
            await audit(tx, request, request.principal, {
              companyId: tx.scope.companyId,
              action: 'phone_number.update',
              targetType: 'phone_number',
              targetId: updated.id,
              details: { fields: Object.keys(patch), before: { e164: before.e164, matchOn: before.match_on, ownerUserId: before.owner_user_id } },
            });
            return updated;
          }),
        violations,
      );
      return toPhoneNumberDto(number);
    },
  );

  routes.delete(
    '/v1/phone-numbers/:id',
    { schema: { tags, params: idParams, querystring: companyQuery, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await checkNumberRemovalRights(deps, request, secretBox, request.query.companyId);
      await withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const deleted = await deleteCompanyPhoneNumber(tx, request.params.id);
        if (!deleted) throw new NotFoundError('phone number not found');
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: 'phone_number.delete',
          targetType: 'phone_number',
          targetId: deleted.id,
          details: { e164: deleted.e164, matchOn: deleted.match_on },
        });
      });
      return reply.code(204).send(null);
    },
  );
}
