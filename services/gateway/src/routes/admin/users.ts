import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deleteCompanyUser,
  getCompanyUser,
  insertCompanyUser,
  listCompanyUsersPage,
  lockCompanyUser,
  updateCompanyUser,
  userOwnsCallData,
  type CompanyTx,
  type User,
} from '@callvault/db';
import { audit } from '../../audit';
import { problem } from '../../openapi/problem';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import { auditSuperadminRead, companyIdFrom, translatingViolations, withAdminCompany } from './admin-access';
import { decodePosition, pageFrom, pageOf, pageQuery, TIMESTAMP_CURSOR } from '../../paging';
import { toUserDto, userDto } from './admin-dto';

const role = z.enum(['agent', 'manager', 'company_admin']);
const companyId = z.string().uuid().optional().describe('superadmin: the company; company_admin: omit (or its own)');
const userFields = {
  subject: z.string().trim().min(1).max(255).describe('the JWT `sub` of this user'),
  email: z.string().email().max(320).nullable().optional(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  role,
  managerId: z.string().uuid().nullable().optional(),
  disabled: z.boolean().optional(),
};

const createBody = z.object({ companyId, ...userFields }).strict();
const patchBody = z
  .object(userFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
const companyQuery = z.object({ companyId }).strict();
const listQuery = z.object({ companyId, role: role.optional(), disabled: z.enum(['true', 'false']).optional(), ...pageQuery }).strict();
const idParams = z.object({ id: z.string().uuid() }).strict();
const deleteResult = z.object({ id: z.string().uuid(), result: z.enum(['deleted', 'disabled']) });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };

const DELETE_DESCRIPTION =
  'Deletes a user who owns no calls or recordings (`result: "deleted"`); a user who owns some is disabled instead (`result: "disabled"`), so those calls keep their owner. Nobody can delete, disable or change the role of themself.';

const violations = {
  unique: 'a user with this subject already exists',
  foreignKey: 'managerId must name a manager or company_admin of the same company',
  check: 'a user cannot be their own manager',
};

/** A manager is a manager or company_admin of the same company; RLS and the company filter hide any other. */
async function checkManager(tx: CompanyTx, managerId: string | null | undefined, userId?: string): Promise<void> {
  if (!managerId) return;
  if (managerId === userId) throw new BadRequestError(violations.check);
  const manager = await getCompanyUser(tx, managerId);
  if (!manager || manager.role === 'agent') throw new BadRequestError(violations.foreignKey);
}

function notSelf(request: FastifyRequest, userId: string, what: string): void {
  if (request.principal.kind === 'user' && request.principal.user.id === userId) throw new ForbiddenError(`you cannot ${what} yourself`);
}

/** Changes worth reading in an audit trail: who gained or lost which role, manager or access. */
function changesOf(before: User, after: User): Record<string, unknown> {
  const tracked = { role: [before.role, after.role], managerId: [before.manager_id, after.manager_id], disabled: [before.disabled, after.disabled] } as const;
  return Object.fromEntries(Object.entries(tracked).flatMap(([field, [from, to]]) => (from === to ? [] : [[field, { from, to }]])));
}

export function registerUserRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['administration'];

  routes.get('/v1/users', { schema: { tags, querystring: listQuery, response: { 200: pageOf(userDto), ...errors } } }, async (request) => {
    const { limit, cursor, companyId: requested, role: roleFilter, disabled } = request.query;
    return withAdminCompany(deps, request, requested, async (tx) => {
      const fingerprint = { route: 'users', companyId: tx.scope.companyId, role: roleFilter, disabled };
      const after = decodePosition(deps, cursor, fingerprint, TIMESTAMP_CURSOR);
      const rows = await listCompanyUsersPage(tx, {
        role: roleFilter,
        disabled: disabled === undefined ? undefined : disabled === 'true',
        limit: limit + 1,
        after,
      });
      await auditSuperadminRead(tx, request, { action: 'user.list', targetType: 'user', targetId: null });
      return pageFrom(deps, rows, limit, fingerprint, toUserDto);
    });
  });

  routes.get('/v1/users/:id', { schema: { tags, params: idParams, querystring: companyQuery, response: { 200: userDto, ...errors } } }, async (request) => {
    return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
      const user = await getCompanyUser(tx, request.params.id);
      if (!user) throw new NotFoundError('user not found');
      await auditSuperadminRead(tx, request, { action: 'user.read', targetType: 'user', targetId: user.id });
      return toUserDto(user);
    });
  });

  routes.post('/v1/users', { schema: { tags, body: createBody, querystring: companyQuery, response: { 201: userDto, ...errors } } }, async (request, reply) => {
    const { companyId: _companyId, ...fields } = request.body;
    const user = await translatingViolations(
      () =>
        withAdminCompany(deps, request, companyIdFrom(request.query, request.body), async (tx) => {
          await checkManager(tx, fields.managerId);
          const created = await insertCompanyUser(tx, {
            ...fields,
            email: fields.email ?? null,
            name: fields.name ?? null,
            managerId: fields.managerId ?? null,
            disabled: fields.disabled ?? false,
          });
          await audit(tx, request, request.principal, {
            companyId: tx.scope.companyId,
            action: 'user.create',
            targetType: 'user',
            targetId: created.id,
            details: { subject: created.subject, role: created.role, managerId: created.manager_id, disabled: created.disabled },
          });
          return created;
        }),
      violations,
    );
    return reply.code(201).send(toUserDto(user));
  });

  routes.patch(
    '/v1/users/:id',
    { schema: { tags, params: idParams, body: patchBody, querystring: companyQuery, response: { 200: userDto, ...errors } } },
    async (request) => {
      const { id } = request.params;
      const patch = request.body;
      if (patch.role !== undefined || patch.disabled !== undefined) notSelf(request, id, 'change the role or access of');
      const user = await translatingViolations(
        () =>
          withAdminCompany(deps, request, request.query.companyId, async (tx) => {
            const before = await lockCompanyUser(tx, id);
            if (!before) throw new NotFoundError('user not found');
            await checkManager(tx, patch.managerId, id);
            const after = (await updateCompanyUser(tx, id, patch))!;
            await audit(tx, request, request.principal, {
              companyId: tx.scope.companyId,
              action: 'user.update',
              targetType: 'user',
              targetId: id,
              details: { fields: Object.keys(patch), ...changesOf(before, after) },
            });
            return after;
          }),
        violations,
      );
      return toUserDto(user);
    },
  );

  /**
   * A user who owns calls or recordings is disabled, so their calls keep their owner (and the
   * owner's manager keeps seeing them); a user without any is deleted for real.
   */
  routes.delete(
    '/v1/users/:id',
    { schema: { tags, description: DELETE_DESCRIPTION, params: idParams, querystring: companyQuery, response: { 200: deleteResult, ...errors } } },
    async (request) => {
      const { id } = request.params;
      notSelf(request, id, 'delete');
      return withAdminCompany(deps, request, request.query.companyId, async (tx) => {
        const user = await lockCompanyUser(tx, id);
        if (!user) throw new NotFoundError('user not found');
        const keep = await userOwnsCallData(tx, id);
        if (keep) await updateCompanyUser(tx, id, { disabled: true });
        else await deleteCompanyUser(tx, id);
        const result = keep ? ('disabled' as const) : ('deleted' as const);
        await audit(tx, request, request.principal, {
          companyId: tx.scope.companyId,
          action: keep ? 'user.disable' : 'user.delete',
          targetType: 'user',
          targetId: id,
          details: { subject: user.subject, role: user.role },
        });
        return { id, result };
      });
    },
  );
}
