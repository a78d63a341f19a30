import { recordOutboundEvent } from '@callvault/outbound-events';
import {
  claimRecordingForFetch,
  getCompany,
  getProviderAccount,
  insertOutboxJobs,
  markRecordingFailed,
  markRecordingStored,
  openProviderSecrets,
  releaseRecordingFetch,
  withCompany,
  type CompanyTx,
  type TwilioSecrets,
  type VapiSecrets,
} from '@callvault/db';
import { describeJob, UnrecoverableError, type JobContext, type JobPayload } from '@callvault/queue';
import { CONTENT_TYPES, recordingKey } from '@callvault/storage';
import { inSpan, SpanKind } from '@callvault/tracing';
import type { FetcherDeps } from './fetcher-deps';
import { MediaNotReadyError, PermanentFetchError } from './fetch-errors';
import { downloadTwilioRecording, type MediaDownload } from './twilio-media';
import { downloadVapiRecording } from './vapi-media';
import { deleteFromTwilioWhenVerified } from './provider-deletion';

export type FetchResult = { outcome: 'stored'; key: string; sizeBytes: number; sha256: string } | { outcome: 'skipped'; reason: string };

/**
 * Archives one recording: claim it, stream provider → S3 (multipart, hashed on the way), mark it
 * stored, then hand it to transcription and analytics. Not-ready and transient failures release
 * the claim and retry with backoff; permanent ones mark the recording failed with a readable reason.
 */
export async function processRecordingFetch(deps: FetcherDeps, payload: JobPayload<'recording-fetch'>, context: JobContext): Promise<FetchResult> {
  const { companyId, recordingId } = payload;
  const started = performance.now();
  const claimed = await withCompany(deps.db, companyId, async (tx) => {
    const recording = await claimRecordingForFetch(tx, recordingId);
    if (!recording) return undefined;
    const company = await getCompany(tx);
    const account = await getProviderAccount(tx, recording.provider);
    return { recording, company, account };
  });
  if (!claimed) return { outcome: 'skipped', reason: 'recording is not waiting to be fetched' };
  const { recording, company, account } = claimed;

  try {
    if (!account) throw new PermanentFetchError(`the company has no ${recording.provider} account registered any more`);
    const common = { allowedHosts: deps.config.MEDIA_FETCH_ALLOWED_HOSTS, timeoutMs: deps.config.FETCH_TIMEOUT_SECONDS * 1000, signal: context.signal };
    // Until the provider's answer arrives; its body streams during the storage upload span.
    const downloadSpan = { kind: SpanKind.CLIENT, attributes: { 'callvault.provider': recording.provider, 'callvault.recording.id': recordingId } };
    const download: MediaDownload = await inSpan('recording download', downloadSpan, () =>
      recording.provider === 'twilio'
        ? downloadTwilioRecording({
            ...common,
            recording,
            accountSid: account.external_id,
            secrets: openProviderSecrets<TwilioSecrets>(deps.box, account),
            format: company?.recording_format ?? 'mp3',
          })
        : downloadVapiRecording({
            ...common,
            recording,
            secrets: openProviderSecrets<VapiSecrets>(deps.box, account),
            apiBaseUrl: deps.config.VAPI_API_BASE_URL,
            presigned: recording.media_fallback_url ? { url: recording.media_fallback_url, expiresAt: recording.media_fallback_expires_at } : undefined,
          }),
    );
    const key = recordingKey({
      companyId,
      callId: recording.call_id,
      recordingId,
      startedAt: recording.started_at ?? recording.created_at,
      extension: download.format,
    });
    // The sha256 is only known once the stream has passed, so it lives in the recording's row,
    // not in the object's metadata: a metadata copy afterwards would store every recording twice
    // in a versioned bucket, and the second version would outlive a careless delete.
    const metadata = { 'company-id': companyId, 'call-id': recording.call_id, 'recording-id': recordingId };
    const contentType = CONTENT_TYPES[download.format]!;
    const stored = await deps.storage.uploadStream({ key, body: download.response.body!, contentType, metadata, signal: context.signal });
    // Stored, and its transcription and analytics due, in one commit: the outbox keeps the jobs
    // until Redis has them, so a Redis blip right now cannot leave a recording without them.
    const marked = await withCompany(deps.db, companyId, async (tx) => {
      const done = await markRecordingStored(tx, recordingId, {
        storageKey: key,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        format: download.format,
        channels: download.channels,
      });
      if (done) {
        await insertOutboxJobs(tx, [describeJob('transcription', { companyId, recordingId }), describeJob('analytics', { companyId, recordingId })]);
        await recordOutboundEvent(tx, 'recording.stored', {
          recordingId,
          callId: recording.call_id,
          format: download.format,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
        });
      }
      return done;
    });
    if (!marked) {
      // Deleted (or otherwise settled) while we downloaded: the upload must not outlive the row.
      await deps.storage.eraseObject(key);
      return { outcome: 'skipped', reason: 'recording was deleted while it was being fetched' };
    }
    deps.metrics.bytes.inc({ provider: recording.provider }, stored.sizeBytes);
    if (recording.provider === 'twilio' && account.settings.deleteFromProviderAfterArchive === true) {
      await deleteFromTwilioWhenVerified(deps, {
        key,
        stored,
        recordingId,
        accountSid: account.external_id,
        secrets: openProviderSecrets<TwilioSecrets>(deps.box, account),
        recordingSid: recording.provider_recording_id,
        log: context.log,
      });
    }
    deps.metrics.duration.observe({ provider: recording.provider, outcome: 'stored' }, (performance.now() - started) / 1000);
    deps.jobsCommitted();
    context.log.info({ recordingId, sizeBytes: stored.sizeBytes }, 'recording stored');
    return { outcome: 'stored', key, sizeBytes: stored.sizeBytes, sha256: stored.sha256 };
  } catch (error) {
    deps.metrics.duration.observe({ provider: recording.provider, outcome: 'failed' }, (performance.now() - started) / 1000);
    const reason = error instanceof Error ? error.message : String(error);
    const lastAttempt = context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
    if (error instanceof PermanentFetchError) {
      await withCompany(deps.db, companyId, (tx) => failRecording(tx, recording.call_id, recordingId, reason));
      throw new UnrecoverableError(reason);
    }
    if (lastAttempt) {
      const final = error instanceof MediaNotReadyError ? `media still not available after ${context.job.attemptsMade + 1} attempts` : `gave up: ${reason}`;
      await withCompany(deps.db, companyId, (tx) => failRecording(tx, recording.call_id, recordingId, final));
    } else {
      await withCompany(deps.db, companyId, (tx) => releaseRecordingFetch(tx, recordingId, reason));
    }
    throw error;
  }
}

/** A recording given up on, and the company's endpoints told, in one commit (once: only the first failure changes the row). */
async function failRecording(tx: CompanyTx, callId: string, recordingId: string, reason: string): Promise<void> {
  if (await markRecordingFailed(tx, recordingId, reason)) await recordOutboundEvent(tx, 'recording.failed', { recordingId, callId, reason });
}
