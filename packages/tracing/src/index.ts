export {
  currentTraceparent,
  finishSpan,
  inSpan,
  outsideTraces,
  SpanKind,
  startSpan,
  traceparentOf,
  tracingOn,
  withActiveSpan,
  type Span,
  type SpanStart,
} from './spans';
export { installTracing, startTracing, type Tracing } from './start-tracing';
export { tracingSettingsFrom, type TracingSettings } from './tracing-settings';
