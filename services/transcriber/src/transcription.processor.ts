import { recordOutboundEvent } from '@callvault/outbound-events';
import {
  getIntelligenceSettings,
  getProviderTranscript,
  getRecordingForCompany,
  getSpeechToTextChoice,
  insertOutboxJobs,
  listRedactionPatterns,
  lockStoredRecording,
  upsertTranscript,
  withCompany,
  type Db,
  type OutboxJob,
  type Recording,
  type SpeechToTextChoice,
} from '@callvault/db';
import { describeJob, UnrecoverableError, type JobContext, type JobPayload } from '@callvault/queue';
import { CONTENT_TYPES, type Storage } from '@callvault/storage';
import { redactTranscript, redactWith } from '@callvault/redaction';
import { SpeechToTextError, type SpeechToText, type TranscriptDraft } from './speech-to-text';

/**
 * The speech-to-text services the deployment configured, by the name a company chooses them with;
 * a company's choice that is missing here leaves its transcripts `unavailable`.
 */
export type SpeechToTextServices = Partial<Record<Exclude<SpeechToTextChoice, 'none'>, SpeechToText>>;

/**
 * Without a speech-to-text service the storage is not needed: the provider transcripts are in
 * the database. `jobsCommitted` wakes the process's outbox relay after a commit recorded jobs.
 */
export type TranscriberDeps = { db: Db; jobsCommitted?: () => void } & (
  | { storage?: Storage | undefined; speechToText?: null | undefined }
  | { storage: Storage; speechToText: SpeechToTextServices }
);

export type TranscriptionResult = { status: 'completed'; source: string; redactionCount: number } | { status: 'unavailable' | 'skipped' };

type Source = { source: 'vapi' | 'twilio'; draft: TranscriptDraft };

/**
 * The transcript the provider made, if its events brought one (VAPI's messages, with both parties
 * and timings; Twilio's transcription, text only): stored by ingest as a fact of the recording.
 */
async function providerTranscript(db: Db, companyId: string, recording: Recording): Promise<Source | undefined> {
  const found = await withCompany(db, companyId, (tx) => getProviderTranscript(tx, recording.provider, recording.provider_recording_id));
  return found ? { source: found.provider, draft: { language: found.language, text: found.text, segments: found.segments } } : undefined;
}

/**
 * Writes the result unless the recording stopped being stored meanwhile (deleted while we worked),
 * with the jobs it implies in the same commit: the model's analysis only for a company that
 * opted in, as the settings stand at this commit.
 */
async function store(
  db: Db,
  companyId: string,
  recordingId: string,
  result: Parameters<typeof upsertTranscript>[1],
  followUps: { always: OutboxJob[]; callAnalysis?: OutboxJob } = { always: [] },
): Promise<boolean> {
  return withCompany(db, companyId, async (tx) => {
    if (!(await lockStoredRecording(tx, recordingId))) return false;
    await upsertTranscript(tx, result);
    const analysisWanted = followUps.callAnalysis !== undefined && (await getIntelligenceSettings(tx))?.enabled === true;
    await insertOutboxJobs(tx, analysisWanted ? [...followUps.always, followUps.callAnalysis!] : followUps.always);
    if (result.status === 'completed')
      await recordOutboundEvent(tx, 'transcript.completed', {
        recordingId,
        source: result.source ?? null,
        language: result.language ?? null,
        redactionCount: result.redactionCount ?? 0,
      });
    return true;
  });
}

/**
 * The service the company chose for its audio, if the deployment configured it. Read per job, so a
 * change of choice applies to the next recording; `none` keeps the audio from every vendor.
 */
async function chosenService(deps: TranscriberDeps, recording: Recording, context: JobContext): Promise<SpeechToText | undefined> {
  if (!deps.speechToText || !recording.storage_key) return undefined;
  const { speechToText: choice } = await withCompany(deps.db, recording.company_id, (tx) => getSpeechToTextChoice(tx));
  if (choice === 'none') return undefined;
  const service = deps.speechToText[choice];
  if (!service) context.log.warn({ recordingId: recording.id, choice }, 'the company chose a speech-to-text service this deployment does not configure');
  return service;
}

/**
 * Gives a stored recording its transcript: the provider's own when the webhooks brought one, else
 * the speech-to-text service the company chose, else `unavailable` (said plainly, not a failure).
 * Card numbers, SSNs and the company's own patterns (as they stand now) are redacted before
 * anything is written. A re-run replaces the previous transcript.
 * Speech-to-text refusals (4xx) fail the transcript for good; outages and timeouts retry, and the
 * last attempt leaves the transcript `failed`.
 */
export async function processTranscription(deps: TranscriberDeps, payload: JobPayload<'transcription'>, context: JobContext): Promise<TranscriptionResult> {
  const { companyId, recordingId } = payload;
  const recording = await withCompany(deps.db, companyId, (tx) => getRecordingForCompany(tx, recordingId));
  if (recording?.status !== 'stored') {
    context.log.info({ recordingId, status: recording?.status ?? null }, 'transcription skipped: recording is not stored');
    return { status: 'skipped' };
  }

  let found: { source: string; draft: TranscriptDraft } | undefined = await providerTranscript(deps.db, companyId, recording);
  const service = found ? undefined : await chosenService(deps, recording, context);
  if (!found && service && deps.storage) {
    found = { source: service.name, draft: await transcribeAudio({ db: deps.db, storage: deps.storage }, service, recording, context) };
  }

  if (!found) {
    const written = await store(deps.db, companyId, recordingId, {
      recordingId,
      status: 'unavailable',
      source: null,
      language: null,
      text: null,
      segments: null,
      redactionCount: 0,
    });
    if (!written) return { status: 'skipped' };
    context.log.info({ recordingId }, 'no transcript source for this recording');
    return { status: 'unavailable' };
  }

  const redactText = redactWith(await withCompany(deps.db, companyId, listRedactionPatterns));
  const redacted = redactTranscript(withoutControlCharacters(found.draft), redactText);
  // Analytics usually ran before the transcript existed: it runs again so word metrics count. The
  // id derives from this job's creation time, so a retry does not queue a second one.
  const requestedAt = new Date(context.job.timestamp).toISOString();
  const reanalysis = describeJob('analytics', { companyId, recordingId, requestedAt });
  const callAnalysis = describeJob('call-analysis', { companyId, recordingId, requestedAt });
  const written = await store(
    deps.db,
    companyId,
    recordingId,
    {
      recordingId,
      status: 'completed',
      source: found.source,
      language: redacted.language,
      text: redacted.text,
      segments: redacted.segments,
      redactionCount: redacted.redactionCount,
    },
    { always: [reanalysis], callAnalysis },
  );
  if (!written) return { status: 'skipped' };
  deps.jobsCommitted?.();
  context.log.info({ recordingId, source: found.source, segments: redacted.segments.length, redactionCount: redacted.redactionCount }, 'transcript stored');
  return { status: 'completed', source: found.source, redactionCount: redacted.redactionCount };
}

// Search snippets use control characters as match markers: no transcript may carry its own.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function withoutControlCharacters(draft: TranscriptDraft): TranscriptDraft {
  const clean = (text: string) => text.replace(CONTROL_CHARACTERS, '');
  return { ...draft, text: clean(draft.text), segments: draft.segments.map((segment) => ({ ...segment, text: clean(segment.text) })) };
}

async function transcribeAudio(deps: { db: Db; storage: Storage }, service: SpeechToText, recording: Recording, context: JobContext): Promise<TranscriptDraft> {
  const { company_id: companyId, id: recordingId } = recording;
  try {
    const object = await deps.storage.getObjectStream(recording.storage_key!);
    return await service.transcribe({
      audio: object.body,
      contentType: CONTENT_TYPES[recording.format ?? ''] ?? object.contentType ?? 'application/octet-stream',
      channels: recording.channels,
      signal: context.signal,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof SpeechToTextError && !error.retryable;
    const lastAttempt = context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
    // A shutdown abort is not a verdict on the recording: it goes back to the queue untouched.
    if ((permanent || lastAttempt) && !context.signal.aborted) {
      await store(deps.db, companyId, recordingId, {
        recordingId,
        status: 'failed',
        source: service.name,
        language: null,
        text: null,
        segments: null,
        redactionCount: 0,
      });
      context.log.warn({ recordingId, err: error, permanent }, 'speech-to-text failed');
    }
    if (permanent) throw new UnrecoverableError(reason);
    throw error;
  }
}
