import Fastify, { type FastifyInstance } from 'fastify';
import { SimState, type SimAccount, type SimRecording } from './sim-state';
import { registerTwilioApi } from './twilio-api';
import { registerVapiApi, SimVapiState, type SimVapiCall } from './vapi-api';

export interface Simulator {
  app: FastifyInstance;
  state: SimState;
  vapi: SimVapiState;
  /** http://127.0.0.1:<port> once listening. */
  baseUrl: string;
  /** host:port, for MEDIA_FETCH_ALLOWED_HOSTS. */
  host: string;
  listen(port?: number): Promise<void>;
  close(): Promise<void>;
  /** The form Twilio posts to recordingStatusCallback when the recording is complete. */
  recordingCompletedParams(recording: SimRecording): Record<string, string>;
  /** The form of a completed call's status callback; the call is then known to the simulated Twilio (Calls resource). */
  callCompletedParams(
    recording: SimRecording,
    call: { from: string; to: string; direction?: string; sequenceNumber?: number; forwardedFrom?: string },
  ): Record<string, string>;
  /** An end-of-call-report for a simulated VAPI call, shaped like VAPI's (see shared fixtures). */
  vapiEndOfCallReport(
    call: SimVapiCall,
    extra?: { assistantNumber?: string; customerNumber?: string; metadata?: Record<string, unknown> },
  ): { message: Record<string, unknown> };
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Stands in for Twilio (and later VAPI): media behind Basic auth, the REST subset, webhook forms. */
export function createSimulator(): Simulator {
  const state = new SimState();
  const vapi = new SimVapiState();
  const app = Fastify({ logger: false });
  const simulator: Simulator = {
    app,
    state,
    vapi,
    baseUrl: '',
    host: '',
    async listen(port = 0) {
      await app.listen({ host: '127.0.0.1', port });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      simulator.baseUrl = `http://127.0.0.1:${actual}`;
      simulator.host = `127.0.0.1:${actual}`;
    },
    close: () => app.close(),
    recordingCompletedParams(recording) {
      return {
        AccountSid: recording.accountSid,
        CallSid: recording.callSid,
        RecordingSid: recording.sid,
        RecordingUrl: `${simulator.baseUrl}/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}`,
        RecordingStatus: 'completed',
        RecordingDuration: String(recording.durationSeconds),
        RecordingChannels: String(recording.channels),
        RecordingStartTime: rfc2822(recording.startTime),
        RecordingSource: 'DialVerb',
        RecordingTrack: 'both',
        ErrorCode: '0',
      };
    },
    callCompletedParams(recording, call) {
      state.addCall(recording.accountSid, {
        callSid: recording.callSid,
        from: call.from,
        to: call.to,
        forwardedFrom: call.forwardedFrom ?? null,
        direction: call.direction ?? 'inbound',
      });
      return {
        AccountSid: recording.accountSid,
        ApiVersion: '2010-04-01',
        CallSid: recording.callSid,
        CallStatus: 'completed',
        Direction: call.direction ?? 'inbound',
        From: call.from,
        To: call.to,
        CallDuration: String(recording.durationSeconds + 5),
        Timestamp: rfc2822(new Date(recording.startTime.getTime() + (recording.durationSeconds + 5) * 1000)),
        CallbackSource: 'call-progress-events',
        SequenceNumber: String(call.sequenceNumber ?? 3),
        ...(call.forwardedFrom ? { ForwardedFrom: call.forwardedFrom } : {}),
      };
    },
    vapiEndOfCallReport(call, extra = {}) {
      const startedAt = call.createdAt.toISOString();
      const endedAt = new Date(call.createdAt.getTime() + call.durationSeconds * 1000).toISOString();
      const storage = 'https://storage.vapi.ai';
      return {
        message: {
          type: 'end-of-call-report',
          timestamp: Date.now(),
          endedReason: 'customer-ended-call',
          startedAt,
          endedAt,
          cost: 0.05,
          analysis: { summary: 'The customer asked to move an appointment.', successEvaluation: 'true' },
          artifact: {
            recordingUrl: `${storage}/${call.id}-mono.wav`,
            stereoRecordingUrl: `${storage}/${call.id}-stereo.wav`,
            messages: [
              { role: 'system', message: 'You are a scheduling assistant.', time: call.createdAt.getTime(), secondsFromStart: 0 },
              { role: 'bot', message: 'Hello, how can I help you today?', time: call.createdAt.getTime() + 1000, secondsFromStart: 1, duration: 2500 },
              {
                role: 'user',
                message: 'I would like to move my appointment to Friday.',
                time: call.createdAt.getTime() + 4000,
                secondsFromStart: 4,
                duration: 3000,
              },
            ],
            transcript: 'AI: Hello, how can I help you today?\nUser: I would like to move my appointment to Friday.\n',
          },
          phoneNumber: { provider: 'twilio', number: extra.assistantNumber ?? '+15550100200' },
          customer: { number: extra.customerNumber ?? '+15550123456' },
          call: {
            id: call.id,
            orgId: call.orgId,
            type: 'inboundPhoneCall',
            status: 'ended',
            startedAt,
            endedAt,
            ...(extra.metadata ? { assistantOverrides: { metadata: extra.metadata } } : {}),
          },
        },
      };
    },
  };
  registerTwilioApi(app, state, () => simulator.baseUrl);
  registerVapiApi(
    app,
    vapi,
    () => simulator.baseUrl,
    (callId, served) => state.served.set(callId, { ...served, format: 'wav', channels: vapi.calls.get(callId)?.channels ?? 2 }),
  );
  return simulator;
}

export type { SimAccount, SimRecording, SimVapiCall };

/** A simulator already listening on a free port, as every test and harness wants it. */
export async function startSimulator(): Promise<Simulator> {
  const simulator = createSimulator();
  await simulator.listen();
  return simulator;
}
