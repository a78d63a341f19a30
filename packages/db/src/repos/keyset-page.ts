import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';

export type SortOrder = 'asc' | 'desc';

/**
 * A keyset position: the sort value of the last row shown (exact text for timestamps and reals, so
 * no microseconds or float digits are lost; a number for integers; null for a row without a value)
 * and its id.
 */
export interface SortPosition {
  value: string | number | null;
  id: string;
}

export interface SortSpec {
  /** Qualified column, e.g. `recordings.started_at`. */
  column: string;
  idColumn: string;
  /** `real`: a computed score (a search rank), compared as float4 exactly as Postgres computed it. */
  type: 'timestamptz' | 'integer' | 'real';
  nullable: boolean;
  order: SortOrder;
}

/** The spec of a list ordered by a timestamp every row has (creation, arrival), then id. */
export function byTimestamp(column: string, idColumn: string, order: SortOrder): SortSpec {
  return { column, idColumn, type: 'timestamptz', nullable: false, order };
}

/** The value to put in the next cursor, selected next to each row as `sort_value`. */
export function sortValueOf(spec: Pick<SortSpec, 'column' | 'type'>): RawBuilder<string | number | null> {
  if (spec.type === 'timestamptz') return sql<string | null>`to_char(${sql.ref(spec.column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  // float4's text output is the shortest text that reads back as the same float4.
  if (spec.type === 'real') return sql<string | null>`${sql.ref(spec.column)}::text`;
  return sql<number | null>`${sql.ref(spec.column)}`;
}

const past = (order: SortOrder) => sql.raw(order === 'desc' ? '<' : '>');

function positionValue(spec: SortSpec, value: string | number): RawBuilder<unknown> {
  if (spec.type === 'timestamptz') return sql`${String(value)}::timestamptz`;
  if (spec.type === 'real') return sql`${String(value)}::real`;
  return sql`${Number(value)}::integer`;
}

/** Rows after a valued position in `(column, id)` order: one row comparison, which an index on both can serve. */
export function pastPosition(spec: SortSpec, after: SortPosition & { value: string | number }): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(spec.column)}, ${sql.ref(spec.idColumn)}) ${past(spec.order)} (${positionValue(spec, after.value)}, ${after.id}::uuid)`;
}

/**
 * One keyset page in `(column, id)` order. Rows without a sort value come after all the others in
 * both directions (a list keeps the same members whatever its sort). The page is read as two
 * index-friendly ranges, valued rows first, then the null group ordered by id, so a deep page
 * costs what the first one costs.
 */
export async function sortedPage<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, O>,
  spec: SortSpec,
  after: SortPosition | null,
  limit: number,
): Promise<O[]> {
  const column = sql.ref(spec.column);
  const id = sql.ref(spec.idColumn);
  const rows: O[] = [];
  if (!after || after.value !== null) {
    let valued = spec.nullable ? base.where(sql<boolean>`${column} IS NOT NULL`) : base;
    if (after && after.value !== null) valued = valued.where(pastPosition(spec, { value: after.value, id: after.id }));
    rows.push(...(await valued.orderBy(column, spec.order).orderBy(id, spec.order).limit(limit).execute()));
  }
  if (spec.nullable && rows.length < limit) {
    let nulls = base.where(sql<boolean>`${column} IS NULL`);
    if (after && after.value === null) nulls = nulls.where(sql<boolean>`${id} ${past(spec.order)} ${after.id}::uuid`);
    rows.push(
      ...(await nulls
        .orderBy(id, spec.order)
        .limit(limit - rows.length)
        .execute()),
    );
  }
  return rows;
}
