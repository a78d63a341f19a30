import type { FastifyReply, FastifyRequest } from 'fastify';
import { signTenantTag } from '@callvault/crypto';
import { findNumberMatches, withPlatform } from '@callvault/db';
import { assistantRequestMessage, describeIssues, numberMatchFor, registryLookupOf, vapiNumbers, type Candidates } from '@callvault/events';
import { withTimeout } from '@callvault/service-kit';
import { MalformedEventError } from '../errors';
import type { IngestDeps } from '../ingest-deps';

const ASSISTANT_DEADLINE_MS = 1_800;
const ASSISTANT_TAG_TTL_SECONDS = 24 * 3600;

/**
 * Picks the assistant of the registered number and hands VAPI our signed tenant tag, which then
 * rides on every later message of the call. The number is chosen as in tenant resolution
 * (calling number first, then the number called) among the companies whose own credential
 * authenticated the request; answered well inside VAPI's 7.5 s (our budget: 2 s). An unregistered
 * number gets `{ error }`, which rejects the call.
 */
export async function answerAssistantRequest(deps: IngestDeps, request: FastifyRequest, reply: FastifyReply, candidates: Candidates, json: unknown) {
  const parsed = assistantRequestMessage.safeParse((json as { message: unknown }).message);
  if (!parsed.success) throw new MalformedEventError(describeIssues(parsed.error));
  const numbers = vapiNumbers(parsed.data);
  const lookup = withPlatform(deps.db, (tx) => findNumberMatches(tx, registryLookupOf(numbers), candidates.companyIds));
  const matches = await withTimeout(lookup, ASSISTANT_DEADLINE_MS).catch(() => 'timeout' as const);
  deps.metrics.webhooks.inc({ provider: 'vapi', type: 'assistant-request', outcome: matches === 'timeout' ? 'unavailable' : 'answered' });
  if (matches === 'timeout') return reply.code(200).send({ error: 'callvault could not look up this number in time' });
  const match = numberMatchFor(matches, numbers, candidates.companyIds);
  if (!match?.vapi_assistant_id) return reply.code(200).send({ error: 'this number is not registered with callvault' });
  const tag = signTenantTag(deps.config.TAG_SIGNING_KEY, {
    companyId: match.company_id,
    ownerUserId: match.owner_user_id,
    expiresAt: new Date(Date.now() + ASSISTANT_TAG_TTL_SECONDS * 1000),
  });
  request.log.info({ companyId: match.company_id }, 'assistant-request answered');
  return reply.code(200).send({ assistantId: match.vapi_assistant_id, assistantOverrides: { metadata: { callvault: tag } } });
}
