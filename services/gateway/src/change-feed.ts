import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeedRow, FeedStart } from '@callvault/db';
import { InvalidFeedQueryError } from './errors';
import { timestamp } from './openapi/formats';
import type { GatewayDeps } from './gateway-deps';
import { decodePosition, TIMESTAMP_CURSOR } from './paging';

/**
 * The change feed of a list: `sort=updatedAt`, optionally `updatedAfter`, pages in (updatedAt, id)
 * order with deleted items as tombstones. Only the paging parameters go with it: a filter would
 * drop a row that stops matching without telling the mirror, which then never converges.
 */
export const feedQuery = {
  sort: z.enum(['updatedAt']).optional().describe('updatedAt: the change feed, oldest change first, deleted items as tombstones'),
  updatedAfter: z.iso.datetime({ offset: true }).optional().describe('with sort=updatedAt: only items changed after this time (ISO-8601)'),
};

/** What a deleted item shows in the feed: nothing of its content. */
export const tombstoneDto = z.object({ id: z.string().uuid(), deletedAt: timestamp, updatedAt: timestamp }).meta({ id: 'Tombstone' });

/** A list's item type when the list can carry tombstones: named `<Item>OrTombstone` in the document. */
export function orTombstone<Item extends z.ZodType>(item: Item) {
  const id = z.globalRegistry.get(item)?.id;
  const union = z.union([item, tombstoneDto]);
  return id ? union.meta({ id: `${id}OrTombstone` }) : union;
}

const FEED_PARAMETERS = new Set(['sort', 'updatedAfter', 'limit', 'cursor', 'companyId']);

/**
 * The feed's start when the request asks for the feed, or null for the list's normal order. A
 * cursor's position is always after `updatedAfter`, so the fingerprint leaves it out: a client
 * may page with or without repeating it.
 */
export function feedStartOf(
  deps: Pick<GatewayDeps, 'cursors'>,
  request: FastifyRequest,
  query: { sort?: 'updatedAt'; updatedAfter?: string; cursor?: string },
  fingerprint: unknown,
  /** A list whose only order is by change (transcripts): without sort=updatedAt it still pages by change, without tombstones. */
  alwaysByChange = false,
): FeedStart | null {
  if (query.sort !== 'updatedAt') {
    if (query.updatedAfter !== undefined) throw new InvalidFeedQueryError('updatedAfter needs sort=updatedAt');
    if (!alwaysByChange) return null;
  }
  const given = [...new URL(request.url, 'http://gateway').searchParams.keys()];
  const others = [...new Set(given.filter((name) => !FEED_PARAMETERS.has(name)))];
  if (others.length > 0) throw new InvalidFeedQueryError(`sort=updatedAt takes only updatedAfter, limit and cursor (not ${others.join(', ')})`);
  const position = decodePosition(deps, query.cursor, fingerprint, TIMESTAMP_CURSOR);
  if (position) return { kind: 'position', position };
  if (query.updatedAfter !== undefined) return { kind: 'time', after: new Date(query.updatedAfter) };
  return { kind: 'beginning' };
}

/** One feed page: live rows through `toItem`, tombstones as id and times; the cursor continues after the last. */
export function feedPageFrom<Live, Item>(
  deps: Pick<GatewayDeps, 'cursors'>,
  rows: FeedRow<Live>[],
  limit: number,
  fingerprint: unknown,
  toItem: (row: Live) => Item,
): { items: Array<Item | z.infer<typeof tombstoneDto>>; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) =>
      row.kind === 'live' ? toItem(row.row) : { id: row.id, deletedAt: row.deletedAt.toISOString(), updatedAt: row.updatedAt.toISOString() },
    ),
    nextCursor: rows.length > limit && last ? deps.cursors.encode({ value: last.sort_value, id: last.id }, fingerprint) : null,
  };
}
