export { processAnalytics, type AnalyticsDeps, type AnalyticsResult, type CallMetrics } from './analytics.processor';
export { analyzeAudio, type AudioMetrics } from './audio/analyze-audio';
export { UndecodableAudioError } from './audio/undecodable-audio-error';
