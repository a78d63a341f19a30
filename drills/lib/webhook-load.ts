import { encodeForm, signTwilioForm } from '@callvault/simulator';
import { sleep } from '../../bench/lib/child-process';

export interface WebhookEvent {
  /** The recording the event is about: what must end up stored once. */
  recordingSid: string;
  path: '/webhooks/twilio/recording-status' | '/webhooks/twilio/call-status';
  params: Record<string, string>;
  /** False for callbacks that do not by themselves ask for the recording (in-progress, call status). */
  expectsRecording?: boolean;
}

export interface Delivery {
  event: WebhookEvent;
  attempts: number;
  acknowledgedAt: number | undefined;
}

export interface LoadReport {
  deliveries: Delivery[];
  attempts: number;
  /** Replies per status ("error" for a connection failure or timeout), by phase of the drill. */
  statuses: Record<string, Record<string, number>>;
}

/**
 * Sends signed callbacks at a steady rate, as Twilio would, and retries any delivery that did
 * not get a 2xx (a 5xx or a connection failure) with a growing delay, up to `maxAttempts` and never
 * past `giveUpAt`. Every loop is bounded by count and time.
 */
export async function deliverWebhooks(input: {
  ingestUrl: string;
  authToken: string;
  events: WebhookEvent[];
  ratePerSecond: number;
  concurrency?: number;
  maxAttempts?: number;
  giveUpAt: number;
  phaseOf?: (now: number) => string;
}): Promise<LoadReport> {
  const deliveries: Delivery[] = input.events.map((event) => ({ event, attempts: 0, acknowledgedAt: undefined }));
  const statuses: Record<string, Record<string, number>> = {};
  const count = (status: string) => {
    const phase = input.phaseOf?.(Date.now()) ?? 'all';
    statuses[phase] ??= {};
    statuses[phase]![status] = (statuses[phase]![status] ?? 0) + 1;
  };
  const maxAttempts = input.maxAttempts ?? 20;
  const started = Date.now();
  const retries: Array<{ delivery: Delivery; at: number }> = [];
  let inFlight = 0;
  let attempts = 0;

  const attempt = async (delivery: Delivery) => {
    delivery.attempts++;
    attempts++;
    inFlight++;
    const url = `${input.ingestUrl}${delivery.event.path}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioForm(input.authToken, url, delivery.event.params),
          'user-agent': 'TwilioProxy/1.1',
        },
        body: encodeForm(delivery.event.params),
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      count(String(response.status));
      if (response.status >= 200 && response.status < 300) {
        delivery.acknowledgedAt ??= Date.now();
        return;
      }
    } catch {
      count('error');
    } finally {
      inFlight--;
    }
    if (delivery.attempts < maxAttempts) retries.push({ delivery, at: Date.now() + Math.min(8_000, 500 * 2 ** (delivery.attempts - 1)) });
  };

  const pending: Array<Promise<void>> = [];
  let next = 0;
  for (let tick = 0; tick < 1_000_000 && Date.now() < input.giveUpAt; tick++) {
    const due = Math.min(input.events.length, Math.floor(((Date.now() - started) / 1000) * input.ratePerSecond) + 1);
    while (next < due && inFlight < (input.concurrency ?? 32)) pending.push(attempt(deliveries[next++]!));
    for (let i = retries.length - 1; i >= 0; i--) {
      if (retries[i]!.at <= Date.now() && inFlight < (input.concurrency ?? 32)) pending.push(attempt(retries.splice(i, 1)[0]!.delivery));
    }
    if (next >= input.events.length && retries.length === 0 && inFlight === 0) break;
    await sleep(10);
  }
  await Promise.all(pending);
  return { deliveries, attempts, statuses };
}

/** The form Twilio posts to recordingStatusCallback; `status` in-progress leaves out what is not known yet. */
export function recordingStatusParams(completed: Record<string, string>, status: 'completed' | 'in-progress' = 'completed'): Record<string, string> {
  if (status === 'completed') return completed;
  const { RecordingDuration: _duration, ...rest } = completed;
  return { ...rest, RecordingStatus: 'in-progress' };
}

/** The call's final StatusCallback (parent leg), with the numbers a recording callback lacks. */
export function callCompletedParams(completed: Record<string, string>, index: number): Record<string, string> {
  const duration = Number(completed.RecordingDuration ?? 30);
  return {
    AccountSid: completed.AccountSid!,
    ApiVersion: '2010-04-01',
    CallSid: completed.CallSid!,
    CallStatus: 'completed',
    Direction: 'inbound',
    From: `+1555${String(1_000_000 + index).slice(-7)}`,
    To: '+13125550100',
    CallDuration: String(duration + 5),
    Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
    CallbackSource: 'call-progress-events',
    SequenceNumber: '3',
  };
}
