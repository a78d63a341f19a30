import { describe, expect, it } from 'vitest';
import { jobDataOf, splitJobData } from './job-trace';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const payload = { companyId: '0b6f8a52-3c1e-4f4c-9d0e-2a8f4b1c7e11', recordingId: '7d2c9e4a-1b3f-4a5d-8e6f-9c0b1a2d3e4f' };

describe('traceparent in job data', () => {
  it('rides beside the payload and comes off before validation', () => {
    const data = jobDataOf(payload, TRACEPARENT);
    expect(data).toEqual({ ...payload, traceparent: TRACEPARENT });
    expect(splitJobData(data)).toEqual({ payload, traceparent: TRACEPARENT });
  });

  it('is absent without a trace: the data is the payload itself', () => {
    expect(jobDataOf(payload, undefined)).toBe(payload);
    expect(splitJobData(payload)).toEqual({ payload });
  });

  it('leaves a non-string traceparent out and the rest to the payload check', () => {
    expect(splitJobData({ ...payload, traceparent: 7 })).toEqual({ payload });
    expect(splitJobData('not an object')).toEqual({ payload: 'not an object' });
    expect(splitJobData(null)).toEqual({ payload: null });
  });
});
