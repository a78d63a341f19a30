import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MODEL_FAULT_KINDS, type ModelFault, type SimModelServer } from './chat-completions-api';
import type { Simulator } from './simulator';

/**
 * Control endpoints for a simulator running as its own process (local start, demo, drills):
 * create accounts and recordings, read what was served. Bound to 127.0.0.1 only.
 */
export function registerSimAdminRoutes(app: FastifyInstance, simulator: Simulator): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post<{ Body: { accountSid?: string; authToken?: string } | undefined }>('/_sim/accounts', async (request) => {
    const account = simulator.state.addAccount(request.body ?? {});
    return { accountSid: account.accountSid, authToken: account.authToken };
  });
  // A number the account owns at "Twilio": registering it with matchOn "to" proves against this list.
  app.post<{ Params: { accountSid: string }; Body: { phoneNumber: string; friendlyName?: string } }>(
    '/_sim/accounts/:accountSid/incoming-numbers',
    async (request, reply) => {
      const account = simulator.state.accounts.get(request.params.accountSid);
      if (!account || typeof request.body?.phoneNumber !== 'string') return reply.code(404).send({ message: 'unknown account or no phoneNumber' });
      const number = {
        sid: `PN${randomBytes(16).toString('hex')}`,
        phoneNumber: request.body.phoneNumber,
        friendlyName: request.body.friendlyName ?? request.body.phoneNumber,
      };
      account.incomingNumbers.push(number);
      return number;
    },
  );
  app.post<{ Body: { orgId?: string; apiKey?: string } | undefined }>('/_sim/vapi/orgs', async (request) => {
    const org = simulator.vapi.addOrg(request.body ?? {});
    return { orgId: org.orgId, apiKey: org.apiKey };
  });
  app.post<{ Params: { accountSid: string }; Body: { durationSeconds?: number; channels?: 1 | 2; readyInMs?: number } | undefined }>(
    '/_sim/accounts/:accountSid/recordings',
    async (request, reply) => {
      if (!simulator.state.accounts.has(request.params.accountSid)) return reply.code(404).send({ message: 'unknown account' });
      const body = request.body ?? {};
      const recording = simulator.state.addRecording(request.params.accountSid, {
        ...(body.durationSeconds ? { durationSeconds: body.durationSeconds } : {}),
        ...(body.channels ? { channels: body.channels } : {}),
        readyAt: Date.now() + (body.readyInMs ?? 0),
      });
      return { sid: recording.sid, callSid: recording.callSid, recordingCompleted: simulator.recordingCompletedParams(recording) };
    },
  );
  app.get<{ Params: { sid: string } }>('/_sim/recordings/:sid/served', async (request, reply) => {
    const served = simulator.state.served.get(request.params.sid);
    return served ?? reply.code(404).send({ message: 'not served yet' });
  });
}

/** Queues faults for the next answers of the simulated model server (each fault replaces one answer). */
export function registerModelAdminRoutes(app: FastifyInstance, server: SimModelServer): void {
  app.post<{ Body: { faults?: unknown } | undefined }>('/_sim/model/faults', async (request, reply) => {
    const faults = request.body?.faults;
    const valid =
      Array.isArray(faults) &&
      faults.every(
        (fault: unknown) =>
          MODEL_FAULT_KINDS.includes((fault as ModelFault)?.kind) &&
          ((fault as ModelFault).kind !== 'status' || Number.isInteger((fault as { status?: unknown }).status)) &&
          ((fault as ModelFault).kind !== 'answer' || typeof (fault as { content?: unknown }).content === 'string'),
      );
    if (!valid) return reply.code(400).send({ message: `faults: an array of { kind: ${MODEL_FAULT_KINDS.join(' | ')} }` });
    server.faults.push(...(faults as ModelFault[]));
    return { queued: server.faults.length };
  });
  app.get('/_sim/model/requests', async () => ({ count: server.requests.length }));
}
