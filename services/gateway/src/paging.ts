import { z } from 'zod';
import type { SortPosition } from '@callvault/db';
import { InvalidCursorError } from './errors';
import type { GatewayDeps } from './gateway-deps';

/** `limit` and `cursor`, the query parameters of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
};

const pages = new WeakMap<z.ZodType, z.ZodType>();

/**
 * `{ items, nextCursor }`, the envelope of every list. For an item that is a named component
 * (Recording) the envelope is one too (RecordingPage), made once however many lists return it.
 */
export const pageOf = <T extends z.ZodType>(item: T) => {
  const page = z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` for the next page; null on the last' }),
  });
  const id = z.globalRegistry.get(item)?.id;
  if (!id) return page;
  const known = pages.get(item) as typeof page | undefined;
  if (known) return known;
  const named = page.meta({ id: `${id}Page` });
  pages.set(item, named);
  return named;
};

/** What the sort value in a list's cursors is: an exact timestamp or an integer, present on every row or not. */
export interface CursorValue {
  /** `real`: a score's exact float4 text (a search rank). */
  type: 'timestamptz' | 'integer' | 'real';
  nullable: boolean;
}

const REAL_TEXT = /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
/** Built once: building a zod schema costs more than checking with it, and every deep page checks one. */
const CURSOR_ID = z.uuid();

function isCursorValue(value: string | number, expected: CursorValue): boolean {
  if (expected.type === 'integer') return Number.isInteger(value);
  if (typeof value !== 'string') return false;
  return expected.type === 'real' ? REAL_TEXT.test(value) : !Number.isNaN(Date.parse(value));
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
  if (!CURSOR_ID.safeParse(id).success) throw new InvalidCursorError();
  if (value === '' && expected.nullable) return { value: null, id };
  if (isCursorValue(value, expected)) return { value, id };
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
