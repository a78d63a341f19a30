import { companyWideRead, listCallAnalysisSummaries, listSubjectCallsPage, loadSubjectCallDetails, withCompany, type Call, type Db } from '@callvault/db';
import { toCallAnalysisDto, toCallDto, toRecordingDto, toTranscriptDto } from '../../dto';
import type { Principal } from '../../principal';
import type { SignAudioUrl } from '../recordings/signed-audio-url';

/** Calls per page: bounds what the gateway holds in memory at once, whatever the subject's history. */
const CALLS_PER_PAGE = 50;

type Details = Awaited<ReturnType<typeof loadSubjectCallDetails>> & { analysisSummaries: Awaited<ReturnType<typeof listCallAnalysisSummaries>> };

/**
 * One call as the export shows it: the call, each recording with a short-lived download link, its
 * transcripts (ours and the provider's), metrics and model analysis, the provider payloads stored for the call,
 * and the audit trail of who accessed the call and its recordings.
 */
async function exportedCall(call: Call, details: Details, principal: Principal, signAudioUrl: SignAudioUrl) {
  const recordings = details.recordings.filter((recording) => recording.call_id === call.id);
  const recordingIds = new Set(recordings.map((recording) => recording.id));
  return {
    ...toCallDto(call, details.analysisSummaries.get(call.id)),
    recordings: await Promise.all(
      recordings.map(async (recording) => {
        const transcript = details.transcripts.find((entry) => entry.recording_id === recording.id);
        const metrics = details.metrics.find((entry) => entry.recording_id === recording.id);
        const download = recording.status === 'stored' && recording.storage_key ? await signAudioUrl(principal, recording, true) : null;
        return {
          ...toRecordingDto(recording),
          download: download && { url: download.url, expiresAt: download.expiresAt.toISOString() },
          transcript: transcript ? toTranscriptDto(transcript) : null,
          providerTranscripts: details.providerTranscripts
            .filter((entry) => entry.provider === recording.provider && entry.provider_recording_id === recording.provider_recording_id)
            .map((entry) => ({
              provider: entry.provider,
              language: entry.language,
              text: entry.text,
              segments: entry.segments,
              receivedAt: entry.received_at.toISOString(),
            })),
          analytics: metrics ? metrics.metrics : null,
          analysis: toCallAnalysisDto(details.analyses.find((entry) => entry.recording_id === recording.id)),
        };
      }),
    ),
    providerEvents: details.webhookEvents
      .filter((event) => event.call_ref !== null && (event.call_ref === call.twilio_call_sid || event.call_ref === call.vapi_call_id))
      .map((event) => ({
        id: event.id,
        provider: event.provider,
        eventType: event.event_type,
        receivedAt: event.received_at.toISOString(),
        payload: event.payload,
      })),
    accessLog: details.auditEvents
      .filter((event) => event.target_id === call.id || (event.target_id !== null && recordingIds.has(event.target_id)))
      .map((event) => ({
        at: event.created_at.toISOString(),
        actorSubject: event.actor_subject,
        actorRole: event.actor_role,
        action: event.action,
        targetType: event.target_type,
        targetId: event.target_id,
        ip: event.ip,
        userAgent: event.user_agent,
      })),
  };
}

/**
 * The data-subject export as JSON text, chunk by chunk: the calls are read a page at a time, each
 * page in its own short transaction (a slow reader must not hold one open), and written as they
 * come. The document ends with `"complete": true`; a reader that does not see it got a truncated
 * export (the connection broke) and must ask again.
 */
export async function* subjectExportChunks(
  deps: { db: Db; signAudioUrl: SignAudioUrl },
  request: { companyId: string; e164: string; principal: Principal },
): AsyncGenerator<string> {
  const { companyId, e164, principal } = request;
  yield `{"subject":${JSON.stringify(e164)},"companyId":${JSON.stringify(companyId)},"generatedAt":${JSON.stringify(new Date().toISOString())},"calls":[`;
  let afterId: string | null = null;
  let first = true;
  for (;;) {
    const page = await withCompany(deps.db, companyId, async (tx) => {
      const calls = await listSubjectCallsPage(tx, e164, { afterId, limit: CALLS_PER_PAGE });
      const callIds = calls.map((call) => call.id);
      const analysisSummaries = await listCallAnalysisSummaries(companyWideRead(tx), callIds);
      return { calls, details: { ...(await loadSubjectCallDetails(tx, calls)), analysisSummaries } };
    });
    for (const call of page.calls) {
      yield `${first ? '' : ','}${JSON.stringify(await exportedCall(call, page.details, principal, deps.signAudioUrl))}`;
      first = false;
    }
    if (page.calls.length < CALLS_PER_PAGE) break;
    afterId = page.calls.at(-1)!.id;
  }
  yield '],"complete":true}';
}
