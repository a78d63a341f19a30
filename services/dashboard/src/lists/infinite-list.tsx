import { useEffect, useRef, type ReactNode } from 'react';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { Empty, ErrorState, Loading } from '../ui/states';

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A keyset-paged list: the next page loads when its end scrolls into view, or with the button
 * (keyboard and screen-reader users, and browsers without IntersectionObserver).
 */
export function InfiniteList<T>({
  query,
  what,
  empty,
  children,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  what: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (query.isPending) return <Loading what={what} />;
  if (query.error && !query.data) return <ErrorState error={query.error} what={what} retry={() => void query.refetch()} />;
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {children(items)}
      <div ref={sentinel} className="list-end">
        {hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        ) : (
          <span className="muted">{items.length} shown, end of list</span>
        )}
      </div>
    </>
  );
}
