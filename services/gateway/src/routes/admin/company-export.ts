import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORTED_TABLES, getCompany, listCompanyRowsPage, withCompany, withPlatform, type Db } from '@callvault/db';
import { audit, auditPlatform } from '../../audit';
import { problem } from '../../openapi/problem';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';

const ROWS_PER_PAGE = 500;

/**
 * A company's archive as NDJSON, one line per row (`{"table","row"}`, columns as stored, secrets
 * left out), table by table, a page at a time, each page in its own short transaction so a slow
 * reader holds none open. Recordings carry their `storage_key`: the audio itself is fetched from
 * the bucket under `companies/{id}/`. The last line is `{"complete":true,"rows":n}`; without it
 * the archive is truncated.
 */
async function* companyArchiveLines(db: Db, companyId: string): AsyncGenerator<string> {
  const company = await withCompany(db, companyId, (tx) => getCompany(tx));
  yield `${JSON.stringify({ table: 'companies', row: company })}\n`;
  let rows = 1;
  for (const table of EXPORTED_TABLES) {
    let afterId: string | null = null;
    for (;;) {
      const page = await withCompany(db, companyId, (tx) => listCompanyRowsPage(tx, table, { afterId, limit: ROWS_PER_PAGE }));
      if (page.length > 0) yield page.map((entry) => `${JSON.stringify({ table, row: entry.row })}\n`).join('');
      rows += page.length;
      if (page.length < ROWS_PER_PAGE) break;
      afterId = page.at(-1)!.id;
    }
  }
  yield `${JSON.stringify({ complete: true, rows })}\n`;
}

export function registerCompanyExportRoute(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/v1/companies/:id/export',
    {
      schema: {
        tags: ['administration'],
        description:
          'A company\'s whole archive before its offboarding, streamed as NDJSON (application/x-ndjson): every row of its metadata, transcripts and audit trail, with its recordings\' storage keys; secrets left out. Ends with {"complete":true,"rows":n}.',
        params: z.object({ id: z.uuid() }).strict(),
        response: { 200: z.unknown().describe('NDJSON, streamed'), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.kind !== 'superadmin') throw new ForbiddenError('this action needs the superadmin role');
      const companyId = request.params.id;
      await withCompany(deps.db, companyId, async (tx) => {
        if (!(await getCompany(tx))) throw new NotFoundError('company not found');
        await audit(tx, request, principal, { companyId, action: 'company.export', targetType: 'company', targetId: companyId });
      });
      // The platform's trail keeps the export after the company (and its own trail) is gone.
      await withPlatform(deps.db, (tx) => auditPlatform(tx, request, principal, { action: 'company.export', targetType: 'company', targetId: companyId }));
      const body = Readable.from(companyArchiveLines(deps.db, companyId));
      body.on('error', (error) => request.log.error({ err: error, companyId }, 'company export broke off'));
      return reply.type('application/x-ndjson; charset=utf-8').send(body);
    },
  );
}
