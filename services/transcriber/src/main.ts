import { describeJob } from '@callvault/queue';
import { startWorkerService } from '@callvault/service-kit';
import { createDeepgramSpeechToText } from './deepgram';
import { processTranscription, type TranscriberDeps } from './transcription.processor';

await startWorkerService({
  name: 'transcriber',
  defaultPort: 3003,
  queue: 'transcription',
  concurrency: (config) => config.WORKER_CONCURRENCY,
  processor: ({ config, db, storage, producer }) => {
    // Without a key, recordings that bring no provider transcript are marked `unavailable`.
    const deps: TranscriberDeps = config.DEEPGRAM_API_KEY
      ? { db, storage, speechToText: createDeepgramSpeechToText({ apiKey: config.DEEPGRAM_API_KEY, baseUrl: config.DEEPGRAM_API_BASE_URL }) }
      : { db, storage };
    return async (payload, context) => {
      const result = await processTranscription(deps, payload, context);
      if (result.status === 'completed') {
        // Analytics usually ran before the transcript existed: run it again so word metrics count.
        // The id derives from this job's creation time, so a retry does not queue a second one.
        const requestedAt = new Date(context.job.timestamp).toISOString();
        await producer.enqueue(describeJob('analytics', { companyId: payload.companyId, recordingId: payload.recordingId, requestedAt }));
      }
      return result;
    };
  },
});
