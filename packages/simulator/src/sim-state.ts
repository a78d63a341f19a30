import { randomBytes } from 'node:crypto';
import type { LineNoise } from './speech-corpus/line-noise';

export interface SimAccount {
  accountSid: string;
  authToken: string;
  apiKeys: Map<string, string>;
  incomingNumbers: Array<{ sid: string; phoneNumber: string; friendlyName: string }>;
}

/** A call as Twilio's Call resource shows it (what a lookup by CallSid answers). */
export interface SimCall {
  accountSid: string;
  callSid: string;
  from: string;
  to: string;
  forwardedFrom: string | null;
  direction: string;
}

export interface SimRecording {
  accountSid: string;
  sid: string;
  callSid: string;
  durationSeconds: number;
  channels: 1 | 2;
  seed: number;
  /** Serves real synthesized speech (the speech corpus) on this line instead of the tone synth's voices. */
  speech?: LineNoise;
  startTime: Date;
  /** Media answers 404 until this time (Twilio's "not ready yet" window). */
  readyAt: number;
  deleted: boolean;
  /** Fault injection for the fetcher's tests. */
  fault?: {
    redirectTo?: string;
    status?: number;
    notReadyFetches?: number;
    /** Serves the media no faster than this: an archive that reliably outlasts a deadline. */
    bytesPerSecond?: number;
  };
}

export interface ServedMedia {
  sha256: string;
  sizeBytes: number;
  format: string;
  channels: number;
}

/** Everything the simulated Twilio knows; tests read it to check what was served and deleted. */
export class SimState {
  readonly accounts = new Map<string, SimAccount>();
  readonly recordings = new Map<string, SimRecording>();
  readonly calls = new Map<string, SimCall>();
  /** The last complete response body served per recording sid. */
  readonly served = new Map<string, ServedMedia>();
  mediaRequests = 0;

  addAccount(input: Partial<Pick<SimAccount, 'accountSid' | 'authToken'>> = {}): SimAccount {
    const account: SimAccount = {
      accountSid: input.accountSid ?? `AC${randomBytes(16).toString('hex')}`,
      authToken: input.authToken ?? randomBytes(16).toString('hex'),
      apiKeys: new Map(),
      incomingNumbers: [],
    };
    this.accounts.set(account.accountSid, account);
    return account;
  }

  addCall(accountSid: string, input: Pick<SimCall, 'callSid' | 'from' | 'to'> & Partial<Pick<SimCall, 'forwardedFrom' | 'direction'>>): SimCall {
    const call: SimCall = { accountSid, forwardedFrom: null, direction: 'inbound', ...input };
    this.calls.set(call.callSid, call);
    return call;
  }

  addRecording(accountSid: string, input: Partial<Omit<SimRecording, 'accountSid'>> = {}): SimRecording {
    const recording: SimRecording = {
      accountSid,
      sid: input.sid ?? `RE${randomBytes(16).toString('hex')}`,
      callSid: input.callSid ?? `CA${randomBytes(16).toString('hex')}`,
      durationSeconds: input.durationSeconds ?? 30,
      channels: input.channels ?? 2,
      seed: input.seed ?? randomBytes(4).readUInt32BE(0),
      startTime: input.startTime ?? new Date(),
      readyAt: input.readyAt ?? 0,
      deleted: input.deleted ?? false,
      ...(input.speech ? { speech: input.speech } : {}),
      ...(input.fault ? { fault: input.fault } : {}),
    };
    this.recordings.set(recording.sid, recording);
    return recording;
  }
}
