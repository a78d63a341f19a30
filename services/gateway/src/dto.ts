import { z } from 'zod';
import { iso, timestamp } from './openapi/formats';
import type { Call, CallAnalysisSummary, CallRecordingDetails, Recording, Transcript } from '@callvault/db';

export const recordingDto = z
  .object({
    id: z.string().uuid(),
    callId: z.string().uuid(),
    companyId: z.string().uuid(),
    ownerUserId: z.string().uuid().nullable(),
    status: z.enum(['pending', 'fetching', 'stored', 'failed', 'absent', 'deleted']),
    statusReason: z.string().nullable(),
    format: z.string().nullable(),
    channels: z.number().int().nullable(),
    durationSeconds: z.number().int().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    direction: z.string().nullable(),
    startedAt: timestamp.nullable(),
    tags: z.array(z.string()),
    category: z.string().nullable(),
    priority: z.number().int().nullable(),
    starred: z.boolean(),
    archived: z.boolean(),
    legalHold: z.boolean(),
    playCount: z.number().int(),
    lastPlayedAt: timestamp.nullable(),
    downloadCount: z.number().int(),
    lastDownloadedAt: timestamp.nullable(),
    hasTranscript: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Recording' });
export type RecordingDto = z.infer<typeof recordingDto>;

/** snake_case row → camelCase JSON, field by field: nothing reaches a response unless listed here. */
export function toRecordingDto(row: Recording): RecordingDto {
  return {
    id: row.id,
    callId: row.call_id,
    companyId: row.company_id,
    ownerUserId: row.owner_user_id,
    status: row.status,
    statusReason: row.status_reason,
    format: row.format,
    channels: row.channels,
    durationSeconds: row.duration_seconds,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    from: row.from_number,
    to: row.to_number,
    direction: row.direction,
    startedAt: iso(row.started_at),
    tags: row.tags,
    category: row.category,
    priority: row.priority,
    starred: row.starred,
    archived: row.archived,
    legalHold: row.legal_hold,
    playCount: row.play_count,
    lastPlayedAt: iso(row.last_played_at),
    downloadCount: row.download_count,
    lastDownloadedAt: iso(row.last_downloaded_at),
    hasTranscript: row.has_transcript,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const transcriptStatus = z.enum(['pending', 'completed', 'unavailable', 'failed']);

export const transcriptDto = z
  .object({
    recordingId: z.string().uuid(),
    status: transcriptStatus,
    source: z.string().nullable(),
    language: z.string().nullable(),
    text: z.string().nullable(),
    segments: z.array(z.object({ speaker: z.string(), startSeconds: z.number(), endSeconds: z.number(), text: z.string() })),
    redactionCount: z.number().int(),
    updatedAt: timestamp,
  })
  .meta({ id: 'Transcript' });
export type TranscriptDto = z.infer<typeof transcriptDto>;

export function toTranscriptDto(row: Transcript): TranscriptDto {
  return {
    recordingId: row.recording_id,
    status: row.status,
    source: row.source,
    language: row.language,
    text: row.text,
    segments: (row.segments ?? []).map((segment) => ({
      speaker: segment.speaker,
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      text: segment.text,
    })),
    redactionCount: row.redaction_count,
    updatedAt: row.updated_at.toISOString(),
  };
}

const answer = z.enum(['yes', 'no', 'not_applicable']);
const analysisStatus = z.enum(['completed', 'failed']).describe('of the last run; a failed run keeps the previous result');

const scorecardAnswerDto = z.object({
  questionId: z.string(),
  question: z.string(),
  answer,
  evidence: z.array(z.object({ quote: z.string(), atSeconds: z.number(), speaker: z.string() })),
  unsupportedAnswer: z
    .enum(['yes', 'no'])
    .optional()
    .describe('what the model answered when none of its quotes occur in the transcript (the answer then is not_applicable)'),
});

export const callAnalysisDto = z.object({
  status: z.enum(['completed', 'failed']).describe('of the last run; a failed run keeps the previous result'),
  model: z.string().nullable(),
  completedAt: z.string().nullable(),
  error: z.string().nullable(),
  failedAt: z.string().nullable(),
  result: z
    .object({
      summary: z.string(),
      topics: z.array(z.string()),
      actionItems: z.array(z.object({ description: z.string(), owner: z.string().nullable(), dueDate: z.string().nullable() })),
      sentiment: z.array(z.object({ speaker: z.string(), sentiment: z.enum(['positive', 'neutral', 'negative']) })),
      scorecard: z.array(scorecardAnswerDto),
      droppedQuotes: z.number().int(),
      repaired: z.boolean(),
    })
    .nullable()
    .describe('the last result that passed validation and the evidence rule'),
});

export type CallAnalysisRow = {
  status: 'completed' | 'failed';
  result: Record<string, unknown> | null;
  model: string | null;
  completed_at: Date | null;
  error: string | null;
  failed_at: Date | null;
};

export function toCallAnalysisDto(row: CallAnalysisRow | undefined): z.infer<typeof callAnalysisDto> | null {
  if (!row) return null;
  return {
    status: row.status,
    model: row.model,
    completedAt: iso(row.completed_at),
    error: row.error,
    failedAt: iso(row.failed_at),
    result: row.result as z.infer<typeof callAnalysisDto>['result'],
  };
}

/** What a call list shows of an analysis: the detail (GET /v1/calls/{id}, /v1/recordings/{id}) adds the quotes. */
export const callAnalysisSummaryDto = z
  .object({
    recordingId: z.string().uuid().describe('the recording analysed'),
    status: analysisStatus,
    model: z.string().nullable(),
    completedAt: timestamp.nullable(),
    failedAt: timestamp.nullable(),
    summary: z.string().nullable().describe('null until a run succeeded'),
    topics: z.array(z.string()),
    scorecard: z.array(z.object({ questionId: z.string(), answer })),
  })
  .meta({ id: 'CallAnalysisSummary' });

function toCallAnalysisSummaryDto(row: CallAnalysisSummary): z.infer<typeof callAnalysisSummaryDto> {
  return {
    recordingId: row.recordingId,
    status: row.status,
    model: row.model,
    completedAt: iso(row.completedAt),
    failedAt: iso(row.failedAt),
    summary: row.summary,
    topics: row.topics,
    scorecard: row.scorecard.map((entry) => ({ questionId: entry.questionId, answer: entry.answer })),
  };
}

export const callDto = z
  .object({
    id: z.string().uuid(),
    companyId: z.string().uuid(),
    ownerUserId: z.string().uuid().nullable(),
    provider: z.enum(['twilio', 'vapi']),
    providerCallId: z.string().nullable().describe('Twilio CallSid or VAPI call id'),
    from: z.string().nullable(),
    to: z.string().nullable(),
    direction: z.string().nullable(),
    status: z.string(),
    startedAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    durationSeconds: z.number().int().nullable(),
    endedReason: z.string().nullable(),
    cost: z.number().nullable(),
    summary: z.string().nullable(),
    successEvaluation: z.string().nullable(),
    analysis: callAnalysisSummaryDto.nullable().describe("the newest language-model analysis among the call's recordings you may see; null when none was made"),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Call' });
export type CallDto = z.infer<typeof callDto>;

/** `analysis` is the call's newest analysis in scope (listCallAnalysisSummaries), absent when it has none. */
export function toCallDto(row: Call, analysis: CallAnalysisSummary | undefined): CallDto {
  return {
    id: row.id,
    companyId: row.company_id,
    ownerUserId: row.owner_user_id,
    provider: row.provider,
    providerCallId: row.twilio_call_sid ?? row.vapi_call_id,
    from: row.from_number,
    to: row.to_number,
    direction: row.direction,
    status: row.status,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    durationSeconds: row.duration_seconds,
    endedReason: row.ended_reason,
    cost: row.cost,
    summary: row.summary,
    successEvaluation: row.success_evaluation,
    analysis: analysis ? toCallAnalysisSummaryDto(analysis) : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const callRecordingDto = recordingDto
  .extend({
    transcript: z
      .object({ status: transcriptStatus, source: z.string().nullable(), language: z.string().nullable(), redactionCount: z.number().int() })
      .nullable(),
    analytics: z.record(z.string(), z.unknown()).nullable().describe("the recording's call metrics as computed by the analytics worker"),
    analysis: callAnalysisDto.nullable().describe("the language model's analysis, for companies that opted in"),
  })
  .meta({ id: 'CallRecording' });

export const callDetailDto = callDto.extend({ recordings: z.array(callRecordingDto) }).meta({ id: 'CallDetail' });

export function toCallDetailDto(
  call: Call,
  recordings: CallRecordingDetails[],
  analyses: { summary: CallAnalysisSummary | undefined; byRecording: ReadonlyMap<string, CallAnalysisRow> },
): z.infer<typeof callDetailDto> {
  return {
    ...toCallDto(call, analyses.summary),
    recordings: recordings.map((entry) => ({
      ...toRecordingDto(entry.recording),
      transcript: entry.transcript,
      analytics: entry.metrics,
      analysis: toCallAnalysisDto(analyses.byRecording.get(entry.recording.id)),
    })),
  };
}

export const recordingDetailDto = recordingDto.extend({
  analysis: callAnalysisDto.nullable().describe("the language model's analysis, for companies that opted in"),
});
