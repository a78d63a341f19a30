import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from './api-error';

const response = (status: number, headers: Record<string, string> = {}) => ({ status, statusText: 'Status Text', headers: new Headers(headers) });

describe('apiErrorFrom', () => {
  it('reads a problem: its code, detail, request id and field errors', () => {
    const error = apiErrorFrom(response(400, { 'x-request-id': 'from-header' }), {
      type: 'https://callvault.dev/errors/validation_failed',
      title: 'Validation Failed',
      status: 400,
      detail: 'the request has invalid fields: see errors',
      instance: '/v1/recordings',
      code: 'validation_failed',
      requestId: 'from-body',
      errors: [{ pointer: '/query/limit', detail: 'too big' }, { pointer: 7 }],
    });
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'the request has invalid fields: see errors', requestId: 'from-body' });
    expect(error.fieldErrors).toEqual([{ pointer: '/query/limit', detail: 'too big' }]);
  });

  it('still reads the earlier { message } shape, and takes the request id from the header when the body has none', () => {
    const error = apiErrorFrom(response(409, { 'x-request-id': 'from-header' }), { statusCode: 409, error: 'Conflict', code: 'conflict', message: 'taken' });
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'taken', requestId: 'from-header', fieldErrors: [] });
  });

  it('falls back to the status for a body that is not ours (a proxy page)', () => {
    expect(apiErrorFrom(response(502), undefined)).toMatchObject({ status: 502, code: 'error', message: 'Status Text', requestId: null });
  });
});
