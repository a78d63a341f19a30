import { z } from 'zod';
import type { SortPosition } from '@callvault/db';
import { InvalidCursorError } from './errors';
import type { GatewayDeps } from './gateway-deps';

/** `limit` and `cursor`, the query parameters of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** What the sort value in a list's cursors is: an exact timestamp or an integer, present on every row or not. */
export interface CursorValue {
  type: 'timestamptz' | 'integer';
  nullable: boolean;
}

/** A list ordered by a timestamp every row has (creation, arrival). */
export const TIMESTAMP_CURSOR: CursorValue = { type: 'timestamptz', nullable: false };

/**
 * The position a cursor continues from. Cursor positions carry the exact sort value: microsecond
 * timestamp text, an integer, or '' for a row without a value (those come last). The cursor is
 * signed with a fingerprint of the list, its filters, sort and scope, so it continues only the
 * list it came from; anything else is a 400.
 */
export function decodePosition(
  deps: Pick<GatewayDeps, 'cursors'>,
  cursor: string | undefined,
  fingerprint: unknown,
  expected: CursorValue,
): SortPosition | null {
  if (!cursor) return null;
  const { value, id } = deps.cursors.decode(cursor, fingerprint);
  if (!z.uuid().safeParse(id).success) throw new InvalidCursorError();
  if (value === '' && expected.nullable) return { value: null, id };
  if (expected.type === 'integer' ? Number.isInteger(value) : typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value, id };
  throw new InvalidCursorError();
}

/**
 * One page of a keyset list: the first `limit` rows, and a signed cursor after the last one when
 * a further row exists (the query asks for limit + 1).
 */
export function pageFrom<Row extends { id: string; sort_value: string | number | null }, Item>(
  deps: Pick<GatewayDeps, 'cursors'>,
  rows: Row[],
  limit: number,
  fingerprint: unknown,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? deps.cursors.encode({ value: last.sort_value ?? '', id: last.id }, fingerprint) : null,
  };
}
