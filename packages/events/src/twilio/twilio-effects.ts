import { recordOutboundEvent } from '@callvault/outbound-events';
import {
  upsertProviderTranscript,
  applyProviderRecording,
  applyTwilioRecordingStatuses,
  backfillRecordingsFromCalls,
  findRecordingByProviderId,
  listRedactionPatterns,
  upsertTwilioCall,
  upsertTwilioCalls,
  type CallSummary,
  type CompanyTx,
  type TwilioCallFacts,
} from '@callvault/db';
import { describeJob, type QueuedJob } from '@callvault/queue';
import { redactWith } from '@callvault/redaction';
import type { CallStatusEvent, RecordingStatusEvent, TranscriptionEvent } from './twilio-events';

const RECORDING_STATUS = {
  'in-progress': { status: 'pending', downloadable: false },
  completed: { status: 'pending', downloadable: true },
  absent: { status: 'absent', downloadable: false },
  failed: { status: 'failed', downloadable: false },
} as const;

function recordingFetchJobs(companyId: string, result: { recordingId: string; shouldFetch: boolean }): QueuedJob[] {
  return result.shouldFetch ? [describeJob('recording-fetch', { companyId, recordingId: result.recordingId })] : [];
}

export interface RecordingStatusInput {
  event: RecordingStatusEvent;
  ownerUserId: string | null;
}

/** Recording-status callbacks of one company, set-based (one statement for all of them). */
export async function applyRecordingStatuses(tx: CompanyTx, inputs: RecordingStatusInput[]): Promise<QueuedJob[][]> {
  const results = await applyTwilioRecordingStatuses(
    tx,
    inputs.map(({ event, ownerUserId }) => {
      const mapped = RECORDING_STATUS[event.RecordingStatus];
      return {
        accountSid: event.AccountSid,
        callSid: event.CallSid,
        ownerUserId,
        recordingSid: event.RecordingSid,
        status: mapped.status,
        statusReason:
          event.RecordingStatus === 'absent'
            ? `Twilio reported the recording absent (error ${event.ErrorCode ?? 'unknown'})`
            : event.RecordingStatus === 'failed'
              ? 'Twilio reported the recording failed (recording encryption or a provider error)'
              : null,
        mediaUrl: event.RecordingUrl,
        channels: event.RecordingChannels ?? null,
        durationSeconds: event.RecordingDuration ?? null,
        startedAt: event.RecordingStartTime ?? null,
        downloadable: mapped.downloadable,
      };
    }),
  );
  return results.map((result) => recordingFetchJobs(tx.scope.companyId, result));
}

export async function applyRecordingStatus(tx: CompanyTx, event: RecordingStatusEvent, ownerUserId: string | null): Promise<QueuedJob[]> {
  const [jobs] = await applyRecordingStatuses(tx, [{ event, ownerUserId }]);
  return jobs!;
}

export interface CallStatusInput {
  event: CallStatusEvent;
  ownerUserId: string | null;
}

function callFactsOf(event: CallStatusEvent, ownerUserId: string | null): TwilioCallFacts {
  const isChildLeg = event.ParentCallSid !== undefined;
  const terminal = ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(event.CallStatus);
  const endedAt = terminal ? (event.Timestamp ?? null) : null;
  return {
    accountSid: event.AccountSid,
    // Both legs belong to one call: the parent leg is the one recordings refer to.
    callSid: event.ParentCallSid ?? event.CallSid,
    ownerUserId,
    ...(isChildLeg ? {} : { status: event.CallStatus }),
    from: isChildLeg ? null : (event.From ?? null),
    to: isChildLeg ? null : (event.To ?? null),
    direction: isChildLeg ? null : (event.Direction ?? null),
    startedAt: endedAt && event.CallDuration !== undefined ? new Date(endedAt.getTime() - event.CallDuration * 1000) : null,
    endedAt,
    durationSeconds: isChildLeg ? null : (event.CallDuration ?? null),
  };
}

/**
 * Call-status callbacks of one company, each call once: the calls in one statement, what they
 * teach their recordings in another. A completed call that carries its recording adds it.
 */
export async function applyCallStatuses(tx: CompanyTx, inputs: CallStatusInput[]): Promise<QueuedJob[][]> {
  const calls = await upsertTwilioCalls(
    tx,
    inputs.map(({ event, ownerUserId }) => callFactsOf(event, ownerUserId)),
  );
  await backfillRecordingsFromCalls(tx, calls);
  const jobs: QueuedJob[][] = [];
  for (const [index, { event }] of inputs.entries()) {
    jobs.push(await applyCarriedRecording(tx, event, calls[index]!));
    if (event.CallStatus === 'completed')
      await recordOutboundEvent(tx, 'call.completed', { callId: calls[index]!.id, provider: 'twilio', direction: calls[index]!.direction ?? null });
  }
  return jobs;
}

export async function applyCallStatus(tx: CompanyTx, event: CallStatusEvent, ownerUserId: string | null): Promise<QueuedJob[]> {
  const [jobs] = await applyCallStatuses(tx, [{ event, ownerUserId }]);
  return jobs!;
}

/** With REST Record=true the completed call carries the recording: the recording callback may never come. */
async function applyCarriedRecording(tx: CompanyTx, event: CallStatusEvent, call: CallSummary): Promise<QueuedJob[]> {
  if (!event.RecordingSid || !event.RecordingUrl || event.CallStatus !== 'completed') return [];
  const result = await applyProviderRecording(tx, {
    callId: call.id,
    ownerUserId: call.ownerUserId,
    provider: 'twilio',
    providerRecordingId: event.RecordingSid,
    status: 'pending',
    mediaUrl: event.RecordingUrl,
    durationSeconds: event.RecordingDuration ?? null,
    from: call.from,
    to: call.to,
    direction: call.direction,
    downloadable: true,
  });
  return recordingFetchJobs(tx.scope.companyId, result);
}

/**
 * Twilio's transcription of a recording becomes a provider transcript the transcriber reads, redacted
 * like every stored call text (it
 * may come before the recording's own callback). If the recording is already archived, its
 * transcript is redone now that a better source exists.
 */
export async function applyTranscription(tx: CompanyTx, event: TranscriptionEvent, ownerUserId: string | null): Promise<QueuedJob[]> {
  await upsertTwilioCall(tx, { accountSid: event.AccountSid, callSid: event.CallSid, ownerUserId, from: event.From ?? null, to: event.To ?? null });
  if (event.TranscriptionStatus !== 'completed') return [];
  const text = event.TranscriptionText?.trim();
  if (text) {
    const redacted = redactWith(await listRedactionPatterns(tx))(text).text;
    await upsertProviderTranscript(tx, { provider: 'twilio', providerRecordingId: event.RecordingSid, language: null, text: redacted, segments: [] });
  }
  const recording = await findRecordingByProviderId(tx, 'twilio', event.RecordingSid);
  if (recording?.status !== 'stored') return [];
  return [describeJob('transcription', { companyId: tx.scope.companyId, recordingId: recording.id, requestedAt: new Date().toISOString() })];
}
