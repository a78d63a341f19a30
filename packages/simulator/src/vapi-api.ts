import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createWavStream } from './audio/index';

export interface SimVapiOrg {
  orgId: string;
  apiKey: string;
  /** The org's phone numbers (GET /phone-number). */
  numbers: Array<{ id: string; number: string; assistantId: string | null }>;
}

export interface SimVapiCall {
  id: string;
  orgId: string;
  durationSeconds: number;
  channels: 1 | 2;
  seed: number;
  createdAt: Date;
  /** Recording answers 404 until then (VAPI uploads it shortly after the call). */
  readyAt: number;
  fault?: { redirectTo?: string };
}

/** What the simulated VAPI knows: orgs with their private API keys, and calls with recordings. */
export class SimVapiState {
  readonly orgs = new Map<string, SimVapiOrg>();
  readonly calls = new Map<string, SimVapiCall>();
  readonly signingKey = randomBytes(16).toString('hex');

  addOrg(input: Partial<SimVapiOrg> = {}): SimVapiOrg {
    const org = { orgId: input.orgId ?? randomUUID(), apiKey: input.apiKey ?? randomBytes(16).toString('hex'), numbers: input.numbers ?? [] };
    this.orgs.set(org.orgId, org);
    return org;
  }

  addCall(orgId: string, input: Partial<Omit<SimVapiCall, 'orgId'>> = {}): SimVapiCall {
    const call: SimVapiCall = {
      id: input.id ?? randomUUID(),
      orgId,
      durationSeconds: input.durationSeconds ?? 30,
      channels: input.channels ?? 2,
      seed: input.seed ?? randomBytes(4).readUInt32BE(0),
      createdAt: input.createdAt ?? new Date(),
      readyAt: input.readyAt ?? 0,
      ...(input.fault ? { fault: input.fault } : {}),
    };
    this.calls.set(call.id, call);
    return call;
  }
}

function orgOf(state: SimVapiState, request: FastifyRequest): SimVapiOrg | undefined {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return [...state.orgs.values()].find((org) => org.apiKey === token);
}

const sign = (state: SimVapiState, path: string, expires: number) => createHmac('sha256', state.signingKey).update(`${path}:${expires}`).digest('hex');

/**
 * VAPI's private recording storage: `GET /call/{id}/stereo-recording` with the org's private key
 * answers 302 to a short-lived signed storage URL; `GET /call?createdAtGt=` lists calls.
 */
export function registerVapiApi(
  app: FastifyInstance,
  state: SimVapiState,
  baseUrl: () => string,
  onServed: (callId: string, bytes: { sha256: string; sizeBytes: number }) => void,
): void {
  // VAPI's org check: 200 when the private key belongs to the org, 401 otherwise.
  app.get('/org/:orgId', async (request: FastifyRequest<{ Params: { orgId: string } }>, reply: FastifyReply) => {
    const org = orgOf(state, request);
    if (!org || org.orgId !== request.params.orgId) return reply.code(401).send({ message: 'Invalid API key' });
    return { id: org.orgId, name: `Simulated org ${org.orgId.slice(0, 8)}`, createdAt: new Date(0).toISOString() };
  });

  app.get('/phone-number', async (request: FastifyRequest, reply: FastifyReply) => {
    const org = orgOf(state, request);
    if (!org) return reply.code(401).send({ message: 'Invalid API key' });
    return org.numbers.map((number) => ({ id: number.id, orgId: org.orgId, number: number.number, assistantId: number.assistantId, provider: 'twilio' }));
  });

  app.get('/call/:id/:kind', async (request: FastifyRequest<{ Params: { id: string; kind: string } }>, reply: FastifyReply) => {
    const org = orgOf(state, request);
    if (!org) return reply.code(401).send({ message: 'Invalid API key' });
    if (request.params.kind !== 'stereo-recording' && request.params.kind !== 'mono-recording') return reply.code(404).send({ message: 'Not Found' });
    const call = state.calls.get(request.params.id);
    if (!call || call.orgId !== org.orgId || Date.now() < call.readyAt) return reply.code(404).send({ message: 'Recording not found' });
    if (call.fault?.redirectTo) return reply.redirect(call.fault.redirectTo, 302);
    const channels = request.params.kind === 'stereo-recording' ? call.channels : 1;
    const path = `/vapi-storage/${call.id}-${channels}.wav`;
    const expires = Date.now() + 60_000;
    return reply.redirect(`${baseUrl()}${path}?expires=${expires}&signature=${sign(state, path, expires)}`, 302);
  });

  app.get(
    '/vapi-storage/:file',
    async (request: FastifyRequest<{ Params: { file: string }; Querystring: { expires?: string; signature?: string } }>, reply: FastifyReply) => {
      const path = `/vapi-storage/${request.params.file}`;
      const expires = Number(request.query.expires);
      if (!request.query.signature || request.query.signature !== sign(state, path, expires) || Date.now() > expires)
        return reply.code(403).send('AccessDenied');
      const match = /^([0-9a-f-]{36})-([12])\.wav$/.exec(request.params.file);
      const call = match ? state.calls.get(match[1]!) : undefined;
      if (!call) return reply.code(404).send('NoSuchKey');
      const media = createWavStream({ durationSeconds: call.durationSeconds, channels: Number(match![2]) as 1 | 2, seed: call.seed });
      const { createHash } = await import('node:crypto');
      const hash = createHash('sha256');
      let size = 0;
      media.stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      media.stream.on('end', () => onServed(call.id, { sha256: hash.digest('hex'), sizeBytes: size }));
      return reply.header('content-type', 'audio/wav').header('content-length', media.sizeBytes).send(media.stream);
    },
  );

  app.get('/call', async (request: FastifyRequest<{ Querystring: { createdAtGt?: string; limit?: string } }>, reply: FastifyReply) => {
    const org = orgOf(state, request);
    if (!org) return reply.code(401).send({ message: 'Invalid API key' });
    const since = request.query.createdAtGt ? Date.parse(request.query.createdAtGt) : 0;
    const limit = Math.min(Number(request.query.limit ?? 100) || 100, 1000);
    return [...state.calls.values()]
      .filter((call) => call.orgId === org.orgId && call.createdAt.getTime() > since)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((call) => ({ id: call.id, orgId: call.orgId, type: 'inboundPhoneCall', status: 'ended', createdAt: call.createdAt.toISOString() }));
  });
}
