import type { GatewayDeps } from './gateway-deps';

/**
 * One page of a keyset list: the first `limit` rows, and a signed cursor after the last one when
 * a further row exists (the query asks for limit + 1). `positionOf` gives the row's sort value.
 */
export function keysetPage<Row extends { id: string }, Item>(
  deps: Pick<GatewayDeps, 'cursors'>,
  rows: Row[],
  limit: number,
  fingerprint: unknown,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => string | number,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? deps.cursors.encode({ value: positionOf(last), id: last.id }, fingerprint) : null,
  };
}
