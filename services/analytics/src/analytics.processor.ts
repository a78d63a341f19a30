import { recordOutboundEvent } from '@callvault/outbound-events';
import {
  getCallOutcome,
  getRecordingForCompany,
  getTranscriptForRecording,
  lockStoredRecording,
  upsertCallMetrics,
  withCompany,
  type Db,
  type Recording,
} from '@callvault/db';
import { UnrecoverableError, type JobContext, type JobPayload } from '@callvault/queue';
import type { Storage } from '@callvault/storage';
import { analyzeAudio, type AudioMetrics } from './audio/analyze-audio';
import { UndecodableAudioError } from './audio/undecodable-audio-error';
import { providerMetrics, type ProviderMetrics } from './provider-metrics';
import { transcriptMetrics, type TranscriptMetrics } from './transcript-metrics';

export interface AnalyticsDeps {
  db: Db;
  storage: Pick<Storage, 'getObjectStream'>;
}

/** The JSON stored in call_metrics.metrics (camelCase, like every JSON we serve). */
export type CallMetrics = {
  audio: AudioMetrics;
  transcript: TranscriptMetrics | null;
  provider: ProviderMetrics | null;
  analyzedAt: string;
};

export type AnalyticsResult = { status: 'computed' } | { status: 'skipped'; reason: string };

/**
 * Measures a stored recording: speech activity from the audio itself, word counts and rates
 * from its transcript, and what the provider reported about the call. The audio is streamed
 * from storage and analysed outside any transaction (a long call takes a while); the transcript
 * and call are read at the end, so a transcript that landed meanwhile is included. Re-running
 * replaces the metrics.
 */
export async function processAnalytics(deps: AnalyticsDeps, payload: JobPayload<'analytics'>, context: JobContext): Promise<AnalyticsResult> {
  const { companyId, recordingId } = payload;
  const recording = await withCompany(deps.db, companyId, (tx) => getRecordingForCompany(tx, recordingId));
  if (!isAnalysable(recording)) return { status: 'skipped', reason: 'recording is not stored' };

  const started = performance.now();
  const audio = await measureAudio(deps, recording, context.signal);

  return withCompany(deps.db, companyId, async (tx) => {
    // Deleted or re-archived while we listened: what we measured is no longer what is stored.
    // Locked until commit, so a delete waits for us and then removes these metrics with the audio.
    const current = await lockStoredRecording(tx, recordingId);
    if (!isAnalysable(current) || current.storage_key !== recording.storage_key) {
      return { status: 'skipped', reason: 'recording changed during analysis' } as const;
    }
    const transcript = await getTranscriptForRecording(tx, recordingId);
    const call = await getCallOutcome(tx, recording.call_id);
    const metrics: CallMetrics = {
      audio,
      transcript: transcriptMetrics(transcript),
      provider: providerMetrics(call),
      analyzedAt: new Date().toISOString(),
    };
    await upsertCallMetrics(tx, { recordingId, callId: recording.call_id, metrics });
    await recordOutboundEvent(tx, 'analysis.completed', {
      recordingId,
      callId: recording.call_id,
      kind: 'metrics',
      durationSeconds: audio.durationSeconds,
      talkRatio: audio.talkRatio,
    });
    context.log.info(
      {
        recordingId,
        callId: recording.call_id,
        durationSeconds: audio.durationSeconds,
        talkRatio: audio.talkRatio,
        ms: Math.round(performance.now() - started),
      },
      'call analysed',
    );
    return { status: 'computed' } as const;
  });
}

function isAnalysable(recording: Recording | undefined): recording is Recording & { storage_key: string } {
  return recording !== undefined && recording.status === 'stored' && recording.storage_key !== null;
}

async function measureAudio(deps: AnalyticsDeps, recording: Recording & { storage_key: string }, signal: AbortSignal): Promise<AudioMetrics> {
  const object = await deps.storage.getObjectStream(recording.storage_key);
  try {
    return await analyzeAudio(object.body, { signal });
  } catch (error) {
    // A file we cannot decode stays undecodable: fail once, visibly, instead of retrying.
    if (error instanceof UndecodableAudioError) throw new UnrecoverableError(`recording ${recording.id} cannot be analysed: ${error.message}`);
    throw error;
  } finally {
    object.body.destroy();
  }
}
