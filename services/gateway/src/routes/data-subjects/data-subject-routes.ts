import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  countSubjectCalls,
  eraseSubjectNumber,
  getCompany,
  lockSubjectRecordings,
  lockHeldRecordingsMentioning,
  withCompany,
  type CompanyTx,
} from '@callvault/db';
import { deleteRecordings, deletionDetails } from '@callvault/erasure';
import { audit } from '../../audit';
import { adminCompanyOf } from '../../company-scope';
import { legalHoldProblem, problem } from '../../openapi/problem';
import { NotFoundError, sendLegalHold } from '../../errors';
import type { GatewayDeps } from '../../gateway-deps';
import type { Principal } from '../../principal';
import { audioUrlSigner } from '../recordings/signed-audio-url';
import { subjectExportChunks } from './subject-export';

const E164 = /^\+[1-9][0-9]{6,14}$/;

const params = z.object({ e164: z.string().regex(E164, 'e164 must be a phone number in E.164 form: + and 7 to 15 digits, e.g. +13125550187') }).strict();
const querystring = z.object({ companyId: z.uuid().optional().describe('superadmin only: the company whose data is meant') }).strict();

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };
const legalHoldDto = legalHoldProblem({
  heldRecordingIds: z.array(z.uuid()).describe('recordings of the subject under legal hold: nothing was erased'),
  heldCallIds: z.array(z.uuid()),
});
const erasureDto = z.object({ erasedRecordings: z.number().int(), erasedCalls: z.number().int(), redactedPayloads: z.number().int() });

/** The company a request is about, after the role check: a company admin's own, or the one a superadmin names (404 if absent). */
async function subjectCompanyOf(deps: GatewayDeps, principal: Principal, companyId: string | undefined): Promise<string> {
  const company = adminCompanyOf(principal, companyId);
  if (principal.kind === 'superadmin' && !(await withCompany(deps.db, company, (tx) => getCompany(tx)))) throw new NotFoundError('company not found');
  return company;
}

/**
 * A person's right of access and erasure, by phone number, within one company. The number itself
 * is personal data: it is never written to the audit trail or the logs, only what was done and how much.
 */
export function registerDataSubjectRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const signAudioUrl = audioUrlSigner(deps);

  routes.get(
    '/v1/data-subjects/:e164',
    {
      schema: {
        tags: ['data subjects'],
        description:
          'Everything the company holds about one phone number, streamed as one JSON document: calls where it is a party with their recordings (each with a short-lived download link), transcripts, summaries, analytics, stored provider payloads and the audit trail of who accessed them. A complete document ends with "complete": true.',
        params,
        querystring,
        response: { 200: z.unknown().describe('the export document (application/json, streamed)'), ...errors },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const companyId = await subjectCompanyOf(deps, principal, request.query.companyId);
      const { e164 } = request.params;
      // Audited before the first byte leaves: an export that breaks halfway was still an access.
      await withCompany(deps.db, companyId, async (tx) => {
        const calls = await countSubjectCalls(tx, e164);
        await audit(tx, request, principal, { companyId, action: 'data_subject.export', targetType: 'data_subject', targetId: null, details: { calls } });
      });
      const body = Readable.from(subjectExportChunks({ db: deps.db, signAudioUrl }, { companyId, e164, principal }));
      body.on('error', (error) => request.log.error({ err: error }, 'data-subject export broke off'));
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  routes.delete(
    '/v1/data-subjects/:e164',
    {
      schema: {
        tags: ['data subjects'],
        description:
          "Erases everything the company holds about one phone number: every recording of its calls through the one erasure path (audio, transcripts, analytics), the calls' summaries, and the number itself from calls, recordings and stored payloads. All or nothing: any recording of those calls, or of a call whose stored payloads mention the number, under legal hold answers 409 with the list and erases nothing.",
        params,
        querystring,
        response: { 200: erasureDto, ...errors, 409: legalHoldDto },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const companyId = await subjectCompanyOf(deps, principal, request.query.companyId);
      const { e164 } = request.params;
      const outcome = await withCompany(deps.db, companyId, async (tx: CompanyTx) => {
        const recordings = await lockSubjectRecordings(tx, e164);
        const mentioned = await lockHeldRecordingsMentioning(tx, e164);
        const held = [
          ...recordings.filter((recording) => recording.legal_hold),
          ...mentioned.filter((recording) => !recordings.some((own) => own.id === recording.id)),
        ];
        if (held.length > 0) return { kind: 'held' as const, held };
        const deleted = await deleteRecordings(tx, recordings, 'data subject erasure');
        for (const recording of recordings) {
          await audit(tx, request, principal, {
            companyId,
            action: 'recording.delete',
            targetType: 'recording',
            targetId: recording.id,
            details: deletionDetails(recording, 'data_subject'),
          });
        }
        const erased = await eraseSubjectNumber(tx, e164);
        const result = { erasedRecordings: recordings.length, erasedCalls: erased.calls, redactedPayloads: deleted.redactedPayloads + erased.payloads };
        await audit(tx, request, principal, { companyId, action: 'data_subject.erase', targetType: 'data_subject', targetId: null, details: result });
        return { kind: 'erased' as const, result };
      });
      if (outcome.kind === 'held') {
        return sendLegalHold(reply, `${outcome.held.length} recording(s) of this number are under legal hold; nothing was erased`, {
          heldRecordingIds: outcome.held.map((recording) => recording.id),
          heldCallIds: [...new Set(outcome.held.map((recording) => recording.call_id))],
        });
      }
      deps.jobsCommitted();
      return outcome.result;
    },
  );
}
