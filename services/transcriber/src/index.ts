export { processTranscription, type SpeechToTextServices, type TranscriberDeps, type TranscriptionResult } from './transcription.processor';
export { createDeepgramSpeechToText, parseDeepgramResponse, deepgramListenUrl, type DeepgramOptions } from './deepgram';
export { SpeechToTextError, type SpeechToText, type TranscriptDraft, type TranscriptSegment } from './speech-to-text';
export { processCallAnalysis, type CallAnalysisDeps, type CallAnalysisResult } from './call-analysis.processor';
export type { ModelServer } from './intelligence/chat-completions';
export { createOpenAiSpeechToText, splitWavChannels, type OpenAiSpeechToTextOptions } from './openai-speech-to-text';
