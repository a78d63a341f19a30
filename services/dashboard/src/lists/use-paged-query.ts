import { useInfiniteQuery } from '@tanstack/react-query';

/** The cursor a page request carries: absent on the first page. */
type PageCursor = { cursor?: string };

/** A keyset-paged API list for `InfiniteList`: each page names the cursor of the next one. `enabled: false` asks for nothing yet. */
export function usePagedQuery<TPage extends { nextCursor: string | null }>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: PageCursor) => Promise<TPage>,
  options: { enabled?: boolean } = {},
) {
  return useInfiniteQuery({
    queryKey,
    enabled: options.enabled ?? true,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam ? { cursor: pageParam } : {}),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
