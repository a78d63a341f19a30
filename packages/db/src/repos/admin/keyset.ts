import { sql, type RawBuilder } from 'kysely';

/**
 * A keyset position on a timestamp column: the timestamp as exact text (microseconds) and the
 * row id. A JavaScript Date keeps milliseconds only, and a cursor rounded to them would skip rows.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

/** The column's value as exact UTC ISO text, selected next to each row to build the next cursor. */
export function exactTimestamp(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** `(column, id)` strictly past the position in the given order. */
export function pastPosition(column: string, idColumn: string, position: KeysetPosition, order: 'asc' | 'desc'): RawBuilder<boolean> {
  const operator = sql.raw(order === 'desc' ? '<' : '>');
  return sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) ${operator} (${position.at}::timestamptz, ${position.id}::uuid)`;
}
