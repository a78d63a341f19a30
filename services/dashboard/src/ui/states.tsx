import type { ReactNode } from 'react';
import { ApiError } from '../api';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** A 404 says "not found" (out of scope looks the same as absent, by design); anything else says what failed. */
export function ErrorState({ error, what, retry }: { error: unknown; what: string; retry?: () => void }) {
  if (error instanceof ApiError && error.status === 404) return <NotFound what={what} />;
  const message = error instanceof ApiError ? `${error.message} (${error.status})` : error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert">
      <p>
        Could not load {what}: {message}
      </p>
      <RequestId error={error} />
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** The id support looks the request up by in the gateway's logs; shown with every failure it helps with. */
export function RequestId({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return (
    <p className="request-id">
      Request id <code>{error.requestId}</code> (quote it when you report this)
    </p>
  );
}

export function NotFound({ what }: { what: string }) {
  return (
    <div className="state not-found" role="alert">
      <h1>Not found</h1>
      <p>This {what} does not exist, or you cannot see it.</p>
    </div>
  );
}

/** Loading, error or the content: every query-backed block renders through this. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorState error={query.error} what={what} retry={() => void query.refetch()} />;
  return <>{children(query.data as T)}</>;
}
