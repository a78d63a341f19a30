import { ApiError } from '../api';
import { RequestId } from './states';

/**
 * Why an action failed, announced to screen readers: a string is already written for people, an
 * API error carries the gateway's detail (and, for a failure on the server's side, the request id
 * to quote), anything else (a network error) gets the fallback.
 */
export function Failure({ error, fallback }: { error: unknown; fallback: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="error-text">
      <p>{typeof error === 'string' ? error : error instanceof ApiError ? error.message : fallback}</p>
      {error instanceof ApiError && error.status >= 500 ? <RequestId error={error} /> : null}
    </div>
  );
}
