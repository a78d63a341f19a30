import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../ui/data-table';
import { InfiniteList, type Page } from './infinite-list';

/** A keyset-paged list shown as a table: one row per item, with the list's loading, empty and error states. */
export function PagedTable<T>({
  query,
  what,
  empty,
  caption,
  columns,
  row,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  what: string;
  empty: ReactNode;
  caption: ReactNode;
  columns: Column[];
  row: (item: T) => ReactNode;
}) {
  return (
    <InfiniteList query={query} what={what} empty={empty}>
      {(items) => (
        <DataTable caption={caption} columns={columns}>
          {items.map(row)}
        </DataTable>
      )}
    </InfiniteList>
  );
}
