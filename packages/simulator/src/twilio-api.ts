import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createMp3Stream, createWavStream } from './audio/index';
import type { SimAccount, SimRecording, SimState } from './sim-state';
import { createSpeechCall } from './speech-corpus/speech-call';
import { speechCallMedia } from './speech-corpus/speech-media';

const API = '/2010-04-01/Accounts/:accountSid';

/** Basic auth as Twilio checks it: the account's own SID + token, or one of its API keys. */
function authorized(account: SimAccount | undefined, header: string | undefined): boolean {
  if (!account || !header?.startsWith('Basic ')) return false;
  const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  if (user === account.accountSid) return password === account.authToken;
  return user !== undefined && account.apiKeys.get(user) === password;
}

/** The recording's audio: the tone synth's call, or a speech-corpus call when the recording asks for speech. */
async function mediaStream(recording: SimRecording, channels: 1 | 2, format: 'wav' | 'mp3'): Promise<Readable> {
  const spec = { durationSeconds: recording.durationSeconds, seed: recording.seed };
  if (recording.speech) {
    const call = await createSpeechCall({ ...spec, noise: recording.speech });
    return Readable.from([speechCallMedia(call, { channels, format })]);
  }
  return (format === 'mp3' ? createMp3Stream({ ...spec, channels }) : createWavStream({ ...spec, channels })).stream;
}

function twilioError(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).send({ code: 20000 + status, message, more_info: 'https://www.twilio.com/docs/errors', status });
}

/** Passes chunks on no faster than `bytesPerSecond` on average since the first one. */
function throttle(bytesPerSecond: number): Transform {
  let started: number | undefined;
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      started ??= Date.now();
      passed += chunk.length;
      const dueAt = started + (passed / bytesPerSecond) * 1000;
      setTimeout(() => done(null, chunk), Math.max(0, dueAt - Date.now()));
    },
  });
}

/** The REST subset callvault calls: account check, calls, recording media, recording list, deletion, incoming numbers. */
export function registerTwilioApi(app: FastifyInstance, state: SimState, baseUrl: () => string): void {
  // Twilio's account check: 200 with the account's own credentials (token or API key), 401 otherwise.
  app.get('/2010-04-01/Accounts/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const accountSid = /^(AC[0-9a-f]{32})\.json$/.exec(request.params.file)?.[1];
    const account = accountSid ? state.accounts.get(accountSid) : undefined;
    if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
    return {
      sid: account!.accountSid,
      friendly_name: `Simulated ${account!.accountSid.slice(0, 8)}`,
      status: 'active',
      owner_account_sid: account!.accountSid,
      type: 'Full',
    };
  });

  app.get(`${API}/Calls/:file`, async (request: FastifyRequest<{ Params: { accountSid: string; file: string } }>, reply) => {
    const account = state.accounts.get(request.params.accountSid);
    if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
    const callSid = /^(CA[0-9a-f]{32})\.json$/.exec(request.params.file)?.[1];
    const call = callSid ? state.calls.get(callSid) : undefined;
    if (!call || call.accountSid !== account!.accountSid) return twilioError(reply, 404, 'The requested resource was not found');
    return {
      sid: call.callSid,
      account_sid: call.accountSid,
      from: call.from,
      to: call.to,
      forwarded_from: call.forwardedFrom,
      direction: call.direction,
      status: 'completed',
      parent_call_sid: null,
    };
  });

  app.get(
    `${API}/Recordings/:file`,
    async (request: FastifyRequest<{ Params: { accountSid: string; file: string }; Querystring: { RequestedChannels?: string } }>, reply) => {
      state.mediaRequests += 1;
      const { accountSid, file } = request.params;
      const account = state.accounts.get(accountSid);
      if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
      const match = /^(RE[0-9a-f]{32})(?:\.(mp3|wav))?$/.exec(file);
      const recording = match ? state.recordings.get(match[1]!) : undefined;
      if (!recording || recording.accountSid !== accountSid || recording.deleted) return twilioError(reply, 404, 'The requested resource was not found');
      if (recording.fault?.redirectTo) return reply.redirect(recording.fault.redirectTo, 302);
      if (recording.fault?.status) return twilioError(reply, recording.fault.status, 'injected fault');
      if (recording.fault?.notReadyFetches && recording.fault.notReadyFetches > 0) {
        recording.fault.notReadyFetches -= 1;
        return twilioError(reply, 404, 'The requested resource was not found');
      }
      if (Date.now() < recording.readyAt) return twilioError(reply, 404, 'The requested resource was not found');
      const requested = request.query.RequestedChannels;
      if (requested === '2' && recording.channels === 1) return twilioError(reply, 400, 'RequestedChannels=2 is not available for a mono recording');
      const channels = requested === '2' ? 2 : 1;
      // Without RequestedChannels Twilio mixes down to one channel.
      const format = match![2] === 'mp3' ? 'mp3' : 'wav';
      const media = await mediaStream(recording, channels, format);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          done(null, chunk);
        },
        flush(done) {
          state.served.set(recording.sid, { sha256: hash.digest('hex'), sizeBytes, format, channels });
          done();
        },
      });
      const served = recording.fault?.bytesPerSecond ? media.pipe(throttle(recording.fault.bytesPerSecond)).pipe(meter) : media.pipe(meter);
      // Like Twilio, no Content-Length: the fetcher must count and hash by itself.
      return reply.header('content-type', format === 'mp3' ? 'audio/mpeg' : 'audio/x-wav').send(served);
    },
  );

  app.get(`${API}/Recordings.json`, async (request: FastifyRequest<{ Params: { accountSid: string }; Querystring: Record<string, string> }>, reply) => {
    const account = state.accounts.get(request.params.accountSid);
    if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
    const since = request.query['DateCreated>'] ?? request.query['DateCreated>='];
    const pageSize = Math.min(Number(request.query.PageSize ?? 50) || 50, 1000);
    const page = Number(request.query.Page ?? 0) || 0;
    const all = [...state.recordings.values()]
      .filter((recording) => recording.accountSid === account!.accountSid && !recording.deleted)
      .filter((recording) => !since || recording.startTime.toISOString().slice(0, 10) >= since)
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
    const slice = all.slice(page * pageSize, (page + 1) * pageSize);
    const path = `/2010-04-01/Accounts/${account!.accountSid}/Recordings.json`;
    const nextQuery = new URLSearchParams({ ...request.query, PageSize: String(pageSize), Page: String(page + 1) });
    return {
      recordings: slice.map((recording) => ({
        sid: recording.sid,
        account_sid: recording.accountSid,
        call_sid: recording.callSid,
        status: 'completed',
        channels: recording.channels,
        source: 'DialVerb',
        duration: String(recording.durationSeconds),
        start_time: recording.startTime.toUTCString().replace('GMT', '+0000'),
        date_created: recording.startTime.toUTCString().replace('GMT', '+0000'),
        media_url: `${baseUrl()}/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}`,
        uri: `/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}.json`,
      })),
      page,
      page_size: pageSize,
      next_page_uri: (page + 1) * pageSize < all.length ? `${path}?${nextQuery.toString()}` : null,
    };
  });

  app.delete(`${API}/Recordings/:file`, async (request: FastifyRequest<{ Params: { accountSid: string; file: string } }>, reply) => {
    const account = state.accounts.get(request.params.accountSid);
    if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
    const sid = request.params.file.replace(/\.json$/, '');
    const recording = state.recordings.get(sid);
    if (!recording || recording.accountSid !== account!.accountSid || recording.deleted) return twilioError(reply, 404, 'The requested resource was not found');
    recording.deleted = true;
    return reply.code(204).send();
  });

  app.get(
    `${API}/IncomingPhoneNumbers.json`,
    async (request: FastifyRequest<{ Params: { accountSid: string }; Querystring: { PhoneNumber?: string } }>, reply) => {
      const account = state.accounts.get(request.params.accountSid);
      if (!authorized(account, request.headers.authorization)) return twilioError(reply, 401, 'Authenticate');
      const filter = request.query.PhoneNumber;
      return {
        incoming_phone_numbers: account!.incomingNumbers
          .filter((number) => !filter || number.phoneNumber === filter)
          .map((number) => ({ sid: number.sid, phone_number: number.phoneNumber, friendly_name: number.friendlyName })),
        next_page_uri: null,
      };
    },
  );
}
