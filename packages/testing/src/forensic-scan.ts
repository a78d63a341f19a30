import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Kysely, PostgresDialect, sql, type QueryExecutorProvider } from 'kysely';
import pg from 'pg';

/** One place a searched value was found in the database. */
export interface DatabaseHit {
  table: string;
  column: string;
  /** The row's `id` when the table has one, else its ctid (enough to find it again in the same test). */
  row: string;
  value: string;
}

/** One place a searched value was found in storage: in the key, the metadata or the bytes. */
export interface BucketHit {
  key: string;
  versionId: string | null;
  where: 'key' | 'metadata' | 'body';
  value: string;
}

export interface BucketScan {
  hits: BucketHit[];
  /** Object versions (or, without versioning, objects) read. */
  objectsScanned: number;
  /**
   * Whether the server listed object versions. When false only current objects were read, and a
   * test must not claim that older versions were searched.
   */
  versionsListed: boolean;
}

// Every column whose text could hold a call's words, numbers or ids; tsvector holds lexemes and text[] tags.
const SCANNED_TYPES = ['text', 'character varying', 'character', 'jsonb', 'json', 'tsvector'];

/**
 * Forensic search of a whole database for values (case-insensitive substrings): every text,
 * varchar, json(b), tsvector and text-array column of every table in the public schema, found
 * through information_schema, so a table added tomorrow is searched without changing this (a
 * partitioned table through its parent, which holds every partition's rows). Give
 * it the schema owner's connection: row-level security would otherwise hide the very rows sought.
 */
export async function scanDatabaseFor(database: QueryExecutorProvider | string, values: readonly string[]): Promise<DatabaseHit[]> {
  const needles = values.filter((value) => value.length > 0);
  if (needles.length === 0) throw new Error('scanDatabaseFor needs at least one non-empty value');
  const owned =
    typeof database === 'string'
      ? new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database, max: 1 }) }) })
      : undefined;
  const db = owned ?? (database as QueryExecutorProvider);
  try {
    const columns = await sql<{ table_name: string; column_name: string; has_id: boolean }>`
      select c.table_name, c.column_name,
        exists (select 1 from information_schema.columns i
                where i.table_schema = c.table_schema and i.table_name = c.table_name and i.column_name = 'id') as has_id
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and not k.relispartition
        and (c.data_type = any(${SCANNED_TYPES}) or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
      order by c.table_name, c.column_name`.execute(db);
    const hits: DatabaseHit[] = [];
    for (const { table_name: table, column_name: column, has_id: hasId } of columns.rows) {
      const rowRef = hasId ? sql`id::text` : sql`ctid::text`;
      for (const value of needles) {
        const found = await sql<{ row: string }>`
          select ${rowRef} as row from ${sql.table(table)}
          where strpos(lower(${sql.ref(column)}::text), lower(${value})) > 0`.execute(db);
        for (const { row } of found.rows) hits.push({ table, column, row, value });
      }
    }
    return hits;
  } finally {
    await owned?.destroy();
  }
}

interface ObjectRef {
  key: string;
  versionId: string | null;
  /** A delete marker has no bytes, but its key alone may carry an id worth finding. */
  deleteMarker?: boolean;
}

/** Every version (and delete marker's key) when the server lists versions; else undefined. */
async function listVersions(s3: S3Client, bucket: string): Promise<ObjectRef[] | undefined> {
  const refs: ObjectRef[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  try {
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      for (const version of page.Versions ?? []) if (version.Key) refs.push({ key: version.Key, versionId: version.VersionId ?? null });
      for (const marker of page.DeleteMarkers ?? []) if (marker.Key) refs.push({ key: marker.Key, versionId: marker.VersionId ?? null, deleteMarker: true });
      if (!page.IsTruncated) return refs;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // s3rver and other small servers answer NotImplemented (501) or MethodNotAllowed (405).
    if (status === 501 || status === 405) return undefined;
    throw error;
  }
}

async function listCurrentObjects(s3: S3Client, bucket: string): Promise<ObjectRef[]> {
  const refs: ObjectRef[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) refs.push({ key: object.Key, versionId: null });
    if (!page.IsTruncated) return refs;
    token = page.NextContinuationToken;
  }
}

function containsIgnoringCase(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/**
 * Forensic search of a bucket for values: the key, the user metadata and the bytes of every
 * object version where the server lists versions (see `versionsListed`), else of every current
 * object. Bytes are compared as UTF-8 (case-insensitive), so text and ids inside files are found.
 */
export async function scanBucketFor(s3: S3Client, bucket: string, values: readonly string[]): Promise<BucketScan> {
  const needles = values.filter((value) => value.length > 0);
  if (needles.length === 0) throw new Error('scanBucketFor needs at least one non-empty value');
  const versions = await listVersions(s3, bucket);
  const refs = versions ?? (await listCurrentObjects(s3, bucket));
  const hits: BucketHit[] = [];
  let objectsScanned = 0;
  for (const { deleteMarker, ...ref } of refs) {
    for (const value of needles) if (containsIgnoringCase(ref.key, value)) hits.push({ ...ref, where: 'key', value });
    if (deleteMarker) continue;
    const versionId = ref.versionId ?? undefined;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: ref.key, VersionId: versionId }));
    const metadata = JSON.stringify(head.Metadata ?? {});
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: ref.key, VersionId: versionId }));
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array()).toString('utf8');
    objectsScanned += 1;
    for (const value of needles) {
      if (containsIgnoringCase(metadata, value)) hits.push({ ...ref, where: 'metadata', value });
      if (containsIgnoringCase(body, value)) hits.push({ ...ref, where: 'body', value });
    }
  }
  return { hits, objectsScanned, versionsListed: versions !== undefined };
}
