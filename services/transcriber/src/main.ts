import { createSecretBox } from '@callvault/crypto';
import { modelTokensCounter, startWorkerService, workerSpec } from '@callvault/service-kit';
import { processCallAnalysis, type CallAnalysisDeps } from './call-analysis.processor';
import { createDeepgramSpeechToText } from './deepgram';
import { createOpenAiSpeechToText } from './openai-speech-to-text';
import { processTranscription, type SpeechToTextServices, type TranscriberDeps } from './transcription.processor';

/** A chat completion with a full analysis is a few KB; anything past this is not one. */
const MAX_MODEL_ANSWER_BYTES = 1024 * 1024;

await startWorkerService({
  name: 'transcriber',
  defaultPort: 3003,
  workers: [
    workerSpec({
      queue: 'transcription',
      concurrency: (config) => config.WORKER_CONCURRENCY,
      processor: ({ config, db, storage, jobsCommitted }) => {
        // What the operator configured; each company picks one of these (or none). Recordings
        // without a provider transcript and without their company's choice here are `unavailable`.
        const speechToText: SpeechToTextServices = {
          ...(config.DEEPGRAM_API_KEY
            ? { deepgram: createDeepgramSpeechToText({ apiKey: config.DEEPGRAM_API_KEY, baseUrl: config.DEEPGRAM_API_BASE_URL }) }
            : {}),
          ...(config.SPEECH_TO_TEXT_BASE_URL
            ? {
                openai: createOpenAiSpeechToText({
                  baseUrl: config.SPEECH_TO_TEXT_BASE_URL,
                  apiKey: config.SPEECH_TO_TEXT_API_KEY ?? null,
                  model: config.SPEECH_TO_TEXT_MODEL,
                }),
              }
            : {}),
        };
        const deps: TranscriberDeps = Object.keys(speechToText).length > 0 ? { db, storage, jobsCommitted, speechToText } : { db, storage, jobsCommitted };
        return (payload, context) => processTranscription(deps, payload, context);
      },
    }),
    workerSpec({
      queue: 'call-analysis',
      concurrency: (config) => config.WORKER_CONCURRENCY,
      processor: ({ config, db, registry }) => {
        const timeoutMs = config.INTELLIGENCE_TIMEOUT_SECONDS * 1000;
        const tokens = modelTokensCounter(registry);
        const deps: CallAnalysisDeps = {
          db,
          timeoutMs,
          defaultServer:
            config.INTELLIGENCE_BASE_URL && config.INTELLIGENCE_MODEL
              ? { baseUrl: config.INTELLIGENCE_BASE_URL, apiKey: config.INTELLIGENCE_API_KEY ?? null, model: config.INTELLIGENCE_MODEL, timeoutMs }
              : null,
          companyServerPolicy: {
            allowLoopback: config.NODE_ENV !== 'production',
            privateHosts: config.INTELLIGENCE_PRIVATE_HOSTS,
            timeoutMs,
            maxResponseBytes: MAX_MODEL_ANSWER_BYTES,
          },
          secretBox: config.SECRETS_KEY ? createSecretBox(config.SECRETS_KEY) : null,
          countTokens: (model, usage) => {
            tokens.inc({ model, kind: 'prompt' }, usage.promptTokens);
            tokens.inc({ model, kind: 'completion' }, usage.completionTokens);
          },
        };
        return (payload, context) => processCallAnalysis(deps, payload, context);
      },
    }),
  ],
});
