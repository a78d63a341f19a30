import type { SecretBox } from '@callvault/crypto';
import {
  addModelUsage,
  getIntelligenceSettings,
  getRecordingForCompany,
  getTranscriptForRecording,
  listRedactionPatterns,
  lockStoredRecording,
  openModelKey,
  recordCallAnalysisFailure,
  storeCallAnalysis,
  withCompany,
  type Db,
} from '@callvault/db';
import { recordOutboundEvent, RefusedDestinationError, type PostPolicy } from '@callvault/outbound-events';
import { UnrecoverableError, type JobContext, type JobPayload } from '@callvault/queue';
import { analyzeTranscript, InvalidAnalysisError } from './intelligence/analyze-transcript';
import { ModelServerError, type ModelServer } from './intelligence/chat-completions';
import { redactTranscript, redactWith } from '@callvault/redaction';
import { redactAnalysis } from './intelligence/redact-analysis';

export type TokenUsage = { promptTokens: number; completionTokens: number };

export interface CallAnalysisDeps {
  db: Db;
  /** The deployment's model server (INTELLIGENCE_*), or null: then only companies with their own get analyses. */
  defaultServer: ModelServer | null;
  /** The SSRF guards for a model server a company named (its URL is the company's to choose). */
  companyServerPolicy: PostPolicy;
  /** Opens a company's own model key; null when SECRETS_KEY is not set. */
  secretBox: SecretBox | null;
  timeoutMs: number;
  /** Counts tokens per model for the metrics (the table counts them per company too). */
  countTokens?: (model: string, usage: TokenUsage) => void;
}

export type CallAnalysisResult = { status: 'completed' } | { status: 'skipped'; reason: string };

type Settings = NonNullable<Awaited<ReturnType<typeof getIntelligenceSettings>>>;

/** Not worth a retry: nothing about the next attempt would be different. */
class AnalysisConfigurationError extends Error {}

/** The company's own model server when it set one, else the deployment's. */
function modelServerFor(deps: CallAnalysisDeps, companyId: string, settings: Settings): ModelServer {
  if (settings.model_base_url) {
    const model = settings.model_name ?? deps.defaultServer?.model;
    if (!model) throw new AnalysisConfigurationError('the company model server has no model name');
    if (settings.model_key_sealed && !deps.secretBox) throw new AnalysisConfigurationError('SECRETS_KEY is not set: the company model key cannot be opened');
    const apiKey = settings.model_key_sealed ? openModelKey(deps.secretBox!, companyId, settings.model_key_sealed) : null;
    return { baseUrl: settings.model_base_url, apiKey, model, timeoutMs: deps.timeoutMs, guard: deps.companyServerPolicy };
  }
  if (!deps.defaultServer) throw new AnalysisConfigurationError('no model server is configured (INTELLIGENCE_BASE_URL or the company settings)');
  return deps.defaultServer;
}

/**
 * Analyses a transcribed recording with the company's chosen model, for companies that opted in:
 * summary, topics, action items, sentiment per speaker and the company's scorecard, each answer
 * held to the evidence rule. The transcript is redacted again before it leaves, with cards, SSNs
 * and the company's own patterns as they stand now (the stored one was redacted with the patterns
 * of its day), and the model's words are redacted before they are stored. Timeouts, 429 and 5xx retry
 * with the job's backoff; a 4xx, a refusal or an answer still invalid after one repair fail for
 * good. A failure is recorded visibly and leaves the previous result in place.
 */
export async function processCallAnalysis(deps: CallAnalysisDeps, payload: JobPayload<'call-analysis'>, context: JobContext): Promise<CallAnalysisResult> {
  const { companyId, recordingId } = payload;
  const found = await withCompany(deps.db, companyId, async (tx) => {
    const settings = await getIntelligenceSettings(tx);
    const recording = await getRecordingForCompany(tx, recordingId);
    const transcript = recording?.status === 'stored' ? await getTranscriptForRecording(tx, recordingId) : undefined;
    return { settings, recording, transcript, redactionPatterns: await listRedactionPatterns(tx) };
  });
  const { settings, recording, transcript } = found;
  if (!settings?.enabled) return { status: 'skipped', reason: 'call analysis is not enabled for the company' };
  if (recording?.status !== 'stored') return { status: 'skipped', reason: 'recording is not stored' };
  if (transcript?.status !== 'completed' || !transcript.segments?.length) return { status: 'skipped', reason: 'no transcript to analyse' };

  const failVisibly = (error: string) =>
    withCompany(deps.db, companyId, async (tx) => {
      if (await lockStoredRecording(tx, recordingId)) await recordCallAnalysisFailure(tx, { recordingId, callId: recording.call_id, error });
    });

  let server: ModelServer;
  try {
    server = modelServerFor(deps, companyId, settings);
  } catch (error) {
    const reason = error instanceof AnalysisConfigurationError ? error.message : 'the company model key cannot be opened';
    await failVisibly(reason);
    throw new UnrecoverableError(reason);
  }

  const redactText = redactWith(found.redactionPatterns);
  const turns = redactTranscript({ text: '', segments: transcript.segments }, redactText).segments;
  const usage: TokenUsage[] = [];
  const countUsage = async () => {
    if (usage.length === 0) return;
    await withCompany(deps.db, companyId, async (tx) => {
      for (const entry of usage) await addModelUsage(tx, { model: server.model, ...entry });
    });
  };
  const onUsage = (entry: TokenUsage) => {
    usage.push(entry);
    deps.countTokens?.(server.model, entry);
  };

  let analysis: Awaited<ReturnType<typeof analyzeTranscript>>;
  try {
    analysis = await analyzeTranscript({ server, turns, questions: settings.scorecard_questions, signal: context.signal, onUsage });
  } catch (error) {
    await countUsage();
    const permanent = error instanceof InvalidAnalysisError || (error instanceof ModelServerError && !error.retryable);
    const lastAttempt = context.job.attemptsMade + 1 >= (context.job.opts.attempts ?? 1);
    const reason = error instanceof Error ? error.message : String(error);
    // A shutdown abort is not a verdict on the call: the job goes back to the queue untouched.
    if ((permanent || lastAttempt) && !context.signal.aborted) {
      await failVisibly(reason);
      // Where a refused company server pointed is for the operator, not stored for the company.
      const destination = error instanceof ModelServerError && error.cause instanceof RefusedDestinationError ? error.cause.detail : undefined;
      context.log.warn({ recordingId, model: server.model, err: error, permanent, destination }, 'call analysis failed');
    }
    if (permanent) throw new UnrecoverableError(reason);
    throw error;
  }

  const stored = await withCompany(deps.db, companyId, async (tx) => {
    for (const entry of usage) await addModelUsage(tx, { model: server.model, ...entry });
    if (!(await lockStoredRecording(tx, recordingId))) return false;
    await storeCallAnalysis(tx, { recordingId, callId: recording.call_id, model: server.model, result: { ...redactAnalysis(analysis, redactText) } });
    await recordOutboundEvent(tx, 'analysis.completed', {
      recordingId,
      callId: recording.call_id,
      kind: 'intelligence',
      model: server.model,
      scorecardAnswers: analysis.scorecard.length,
    });
    return true;
  });
  if (!stored) return { status: 'skipped', reason: 'recording deleted during analysis' };
  context.log.info(
    { recordingId, model: server.model, scorecard: analysis.scorecard.length, droppedQuotes: analysis.droppedQuotes, repaired: analysis.repaired },
    'call analysed by the model',
  );
  return { status: 'completed' };
}
