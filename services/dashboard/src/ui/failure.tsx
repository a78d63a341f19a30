import { ApiError } from '../api';

/**
 * Why an action failed, announced to screen readers: a string is already written for people, an
 * API error carries the gateway's message, anything else (a network error) gets the fallback.
 */
export function Failure({ error, fallback }: { error: unknown; fallback: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error-text">
      {typeof error === 'string' ? error : error instanceof ApiError ? error.message : fallback}
    </p>
  );
}
