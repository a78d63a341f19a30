import { recordOutboundEvent } from '@callvault/outbound-events';
import { redactTranscript, redactWith, type RedactText } from '@callvault/redaction';
import {
  applyProviderRecording,
  backfillRecordingsFromCall,
  listRedactionPatterns,
  upsertProviderTranscript,
  upsertVapiCall,
  type CompanyTx,
} from '@callvault/db';
import { describeJob, type QueuedJob } from '@callvault/queue';
import { presignedRecordingOf, vapiNumbers, type EndOfCallReportMessage, type StatusUpdateMessage } from './vapi-events';
import { transcriptFromVapiReport } from './vapi-transcript';

export async function applyStatusUpdate(tx: CompanyTx, message: StatusUpdateMessage, ownerUserId: string | null): Promise<QueuedJob[]> {
  const numbers = vapiNumbers(message);
  const call = await upsertVapiCall(tx, {
    vapiCallId: message.call.id,
    twilioCallSid: message.call.transport?.callSid ?? null,
    ownerUserId,
    status: message.status,
    ...numbers,
    startedAt: message.call.startedAt ?? null,
    endedReason: message.status === 'ended' ? (message.endedReason ?? message.call.endedReason ?? null) : null,
  });
  await backfillRecordingsFromCall(tx, call);
  return [];
}

function successEvaluationText(value: string | boolean | number | undefined, redactText: RedactText): string | null {
  return value === undefined ? null : redactText(String(value).slice(0, 500)).text;
}

/**
 * A summary is the words of the call, retold: card numbers, SSNs and the company's own patterns
 * leave it before it is stored, as they leave transcripts.
 */
function summaryText(value: string | undefined, redactText: RedactText): string | null {
  return value === undefined ? null : redactText(value).text;
}

/**
 * The report ends the call, names its recording and carries VAPI's transcript of it (kept, redacted
 * like every stored call text, as a provider transcript for the transcriber). Message-level fields win over the embedded call
 * snapshot. The recording is fetched through VAPI's API (its storage is private), so the stored
 * media reference is only an identifier; the report's presigned URL is the fallback.
 */
export async function applyEndOfCallReport(tx: CompanyTx, message: EndOfCallReportMessage, ownerUserId: string | null): Promise<QueuedJob[]> {
  const redactText = redactWith(await listRedactionPatterns(tx));
  const numbers = vapiNumbers(message);
  const startedAt = message.startedAt ?? message.call.startedAt ?? null;
  const endedAt = message.endedAt ?? message.call.endedAt ?? null;
  const call = await upsertVapiCall(tx, {
    vapiCallId: message.call.id,
    twilioCallSid: message.call.transport?.callSid ?? null,
    ownerUserId,
    status: 'ended',
    ...numbers,
    startedAt,
    endedAt,
    endedReason: message.endedReason ?? message.call.endedReason ?? null,
    cost: message.cost ?? null,
    summary: summaryText(message.analysis?.summary, redactText),
    successEvaluation: successEvaluationText(message.analysis?.successEvaluation, redactText),
  });
  await backfillRecordingsFromCall(tx, call);
  await recordOutboundEvent(tx, 'call.completed', { callId: call.id, provider: 'vapi', direction: call.direction ?? null });
  const transcript = transcriptFromVapiReport({ message });
  if (transcript) {
    const { redactionCount: _count, ...redacted } = redactTranscript(transcript, redactText);
    await upsertProviderTranscript(tx, { provider: 'vapi', providerRecordingId: message.call.id, ...redacted });
  }
  const stereo = message.artifact?.stereoRecordingUrl ?? message.artifact?.recording?.stereoUrl;
  const mono = message.artifact?.recordingUrl;
  if (!stereo && !mono) return [];
  const channels = stereo ? 2 : 1;
  const result = await applyProviderRecording(tx, {
    callId: call.id,
    ownerUserId: call.ownerUserId,
    provider: 'vapi',
    providerRecordingId: message.call.id,
    status: 'pending',
    mediaUrl: stereo ?? mono ?? null,
    mediaFallback: presignedRecordingOf(message, channels) ?? null,
    channels,
    durationSeconds: startedAt && endedAt ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)) : null,
    startedAt,
    from: call.from,
    to: call.to,
    direction: call.direction,
    downloadable: true,
  });
  return result.shouldFetch ? [describeJob('recording-fetch', { companyId: tx.scope.companyId, recordingId: result.recordingId })] : [];
}
