import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../openapi/problem';
import { roleOf } from '../principal';

const meDto = z
  .object({
    user: z.object({
      id: z.string().uuid(),
      subject: z.string(),
      email: z.string().nullable(),
      name: z.string().nullable(),
      managerId: z.string().uuid().nullable(),
    }),
    companyId: z.string().uuid().nullable(),
    role: z.enum(['agent', 'manager', 'company_admin', 'superadmin']),
  })
  .meta({ id: 'Me' });

export function registerMeRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/me', { schema: { tags: ['me'], response: { 200: meDto, 401: problem, 403: problem } } }, async (request) => {
    const principal = request.principal;
    if (principal.kind === 'superadmin') {
      return { user: { id: principal.id, subject: principal.subject, email: null, name: null, managerId: null }, companyId: null, role: roleOf(principal) };
    }
    const { user } = principal;
    return {
      user: { id: user.id, subject: user.subject, email: user.email, name: user.name, managerId: user.manager_id },
      companyId: user.company_id,
      role: roleOf(principal),
    };
  });
}
