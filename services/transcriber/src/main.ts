import { startWorkerService, workerSpec } from '@callvault/service-kit';
import { createDeepgramSpeechToText } from './deepgram';
import { processTranscription, type TranscriberDeps } from './transcription.processor';

await startWorkerService({
  name: 'transcriber',
  defaultPort: 3003,
  workers: [
    workerSpec({
      queue: 'transcription',
      concurrency: (config) => config.WORKER_CONCURRENCY,
      processor: ({ config, db, storage, jobsCommitted }) => {
        // Without a key, recordings that bring no provider transcript are marked `unavailable`.
        const deps: TranscriberDeps = config.DEEPGRAM_API_KEY
          ? { db, storage, jobsCommitted, speechToText: createDeepgramSpeechToText({ apiKey: config.DEEPGRAM_API_KEY, baseUrl: config.DEEPGRAM_API_BASE_URL }) }
          : { db, storage, jobsCommitted };
        return (payload, context) => processTranscription(deps, payload, context);
      },
    }),
  ],
});
