import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getRecordingInScope, getTranscriptOfRecording, insertOutboxJobs, withReadScope } from '@callvault/db';
import { describeJob } from '@callvault/queue';
import { audit } from '../audit';
import { toTranscriptDto, transcriptDto } from '../dto';
import { problem } from '../openapi/problem';
import { ForbiddenError, NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway-deps';
import { roleOf, scopeOf } from '../principal';

const idParams = z.object({ id: z.uuid() }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 429: problem };
const accepted = z.object({ jobId: z.string(), status: z.literal('queued') });

/** A recording's transcript, and re-runs of the transcriber and the analytics worker. */
export function registerTranscriptRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/recordings/:id/transcript',
    { schema: { tags: ['transcripts'], params: idParams, response: { 200: transcriptDto, ...errors } } },
    async (request) => {
      const scope = scopeOf(request.principal);
      const transcript = await withReadScope(deps.db, scope, async (tx) => {
        const recording = await getRecordingInScope(tx, request.params.id);
        if (!recording) throw new NotFoundError('recording not found');
        const found = await getTranscriptOfRecording(tx, recording);
        if (!found) throw new NotFoundError('transcript not found');
        // A transcript is the call's content, like its audio: every read leaves a trace.
        await audit(tx, request, request.principal, {
          companyId: recording.company_id,
          action: 'transcript.read',
          targetType: 'recording',
          targetId: recording.id,
        });
        return found;
      });
      return toTranscriptDto(transcript);
    },
  );

  /** manager+: enqueue a fresh run of a pipeline stage for one recording in scope (202). */
  const rerun = async (request: FastifyRequest, id: string, queue: 'transcription' | 'analytics') => {
    const scope = scopeOf(request.principal);
    return withReadScope(deps.db, scope, async (tx) => {
      const recording = await getRecordingInScope(tx, id);
      if (!recording) throw new NotFoundError('recording not found');
      if (roleOf(request.principal) === 'agent') throw new ForbiddenError(`only a manager or an admin may re-run ${queue}`);
      const stage = { companyId: recording.company_id, recordingId: recording.id, requestedAt: new Date().toISOString() };
      const job = describeJob(queue, stage);
      await audit(tx, request, request.principal, {
        companyId: recording.company_id,
        action: queue === 'transcription' ? 'recording.transcribe' : 'recording.analyze',
        targetType: 'recording',
        targetId: recording.id,
        details: { jobId: job.jobId },
      });
      // The model's analysis runs with the metrics; its worker skips companies that did not opt in.
      const callAnalysis = queue === 'analytics' ? [describeJob('call-analysis', stage)] : [];
      await insertOutboxJobs(tx, [job, ...callAnalysis]);
      return { jobId: job.jobId, status: 'queued' as const };
    }).finally(() => deps.jobsCommitted());
  };

  routes.post(
    '/v1/recordings/:id/transcript',
    { schema: { tags: ['transcripts'], params: idParams, response: { 202: accepted, ...errors } } },
    async (request, reply) => reply.code(202).send(await rerun(request, request.params.id, 'transcription')),
  );

  routes.post(
    '/v1/recordings/:id/analyze',
    {
      schema: {
        tags: ['transcripts'],
        params: idParams,
        response: { 202: accepted, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await rerun(request, request.params.id, 'analytics')),
  );
}
