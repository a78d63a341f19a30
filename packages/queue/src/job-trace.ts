/**
 * BullMQ jobs have no headers, so the W3C traceparent of the trace a job continues travels in its
 * data, beside the payload: `{ ...payload, traceparent }`. The payload contracts stay as they are;
 * the field is added when a job is enqueued and taken off before the payload is validated.
 */
const TRACEPARENT = 'traceparent';

export function jobDataOf(payload: Record<string, unknown>, traceparent: string | undefined): Record<string, unknown> {
  return traceparent ? { ...payload, [TRACEPARENT]: traceparent } : payload;
}

/** A dequeued job's data split into the payload to validate and the traceparent it carried, if any. */
export function splitJobData(data: unknown): { payload: unknown; traceparent?: string } {
  if (typeof data !== 'object' || data === null || !(TRACEPARENT in data)) return { payload: data };
  const { [TRACEPARENT]: traceparent, ...payload } = data as Record<string, unknown>;
  return typeof traceparent === 'string' ? { payload, traceparent } : { payload };
}
