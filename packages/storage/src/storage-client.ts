import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inSpan, SpanKind } from '@callvault/tracing';

export interface StorageConfig {
  endpoint?: string | undefined;
  publicEndpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  serverSideEncryption?: 'AES256' | 'aws:kms' | undefined;
  kmsKeyId?: string | undefined;
}

export interface StoredObject {
  key: string;
  sizeBytes: number;
  sha256: string;
}

export interface Storage {
  readonly bucket: string;
  ping(): Promise<void>;
  ensureBucket(): Promise<void>;
  /**
   * Streams `body` into `key` with a multipart upload, hashing on the way: memory stays at
   * a few parts whatever the size. On any failure or abort the multipart upload is aborted,
   * so no half object ever becomes visible.
   */
  uploadStream(input: { key: string; body: Readable; contentType: string; metadata: Record<string, string>; signal?: AbortSignal }): Promise<StoredObject>;
  headObject(key: string): Promise<{ sizeBytes: number; metadata: Record<string, string> } | undefined>;
  getObjectStream(
    key: string,
    range?: string,
  ): Promise<{ body: Readable; contentLength?: number | undefined; contentRange?: string | undefined; contentType?: string | undefined }>;
  /**
   * Removes an object for good: in a versioned bucket every version and delete marker of the key
   * (a plain delete would only hide the audio behind a marker); where the server does not list
   * versions, the object itself. `versionsListed` says which of the two happened.
   */
  eraseObject(key: string): Promise<{ versionsDeleted: number; versionsListed: boolean }>;
  /**
   * Deletes every object under a company's prefix, every version and delete marker included
   * where the server keeps versions: what offboarding a company leaves in the bucket is nothing.
   * Returns how many versions (or objects) it deleted.
   */
  deleteEverythingUnder(prefix: string): Promise<number>;
  presignGet(key: string, options: { expiresInSeconds: number; downloadFilename?: string; contentType?: string }): Promise<string>;
  client: S3Client;
}

/**
 * Every version id (delete markers included) of exactly `key`; undefined when the server does not
 * implement version listing (s3rver answers 405, others 501).
 */
async function listKeyVersions(client: S3Client, bucket: string, key: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (entry.Key === key && entry.VersionId) ids.push(entry.VersionId);
      }
      if (!page.IsTruncated) return ids;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 405 || status === 501) return undefined;
    throw error;
  }
}

function s3Client(config: StorageConfig, endpoint: string | undefined): S3Client {
  return new S3Client({
    region: config.region,
    endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Flexible checksums on streamed bodies are not understood by every S3-compatible server
    // (some store the aws-chunked framing as data): only send them where the API requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createStorage(config: StorageConfig): Storage {
  const client = s3Client(config, config.endpoint);
  // Presigned URLs are signed for the address browsers use, which may differ from ours.
  const publicClient = config.publicEndpoint && config.publicEndpoint !== config.endpoint ? s3Client(config, config.publicEndpoint) : client;
  const bucket = config.bucket;

  const streamUpload: Storage['uploadStream'] = async ({ key, body, contentType, metadata, signal }) => {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    const tee = new PassThrough();
    const upload = new Upload({
      client,
      params: {
        Bucket: bucket,
        Key: key,
        Body: tee,
        ContentType: contentType,
        Metadata: metadata,
        ...(config.serverSideEncryption ? { ServerSideEncryption: config.serverSideEncryption } : {}),
        ...(config.kmsKeyId ? { SSEKMSKeyId: config.kmsKeyId } : {}),
      },
      // Memory per upload, not per file size: one 5 MiB part (S3's minimum) in flight. A second
      // part in flight cost ~29 MiB more peak RSS on a 500 MB recording for ~5 % speed
      // (bench/fetcher); fetchers overlap many uploads instead (FETCHER_CONCURRENCY).
      queueSize: 1,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const uploading = upload.done();
      await Promise.all([pipeline(body, meter, tee), uploading]);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      // lib-storage can complete the multipart upload with the parts it had when the source
      // ended early: remove whatever landed under this key, so no half object stays visible.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return { key, sizeBytes, sha256: hash.digest('hex') };
  };

  return {
    bucket,
    client,
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      }
    },
    uploadStream(input) {
      // The S3 hop of a recording's trace; the key holds ids only (company, call, recording).
      const attributes = { 'rpc.system': 'aws-api', 'rpc.service': 'S3', 'aws.s3.bucket': bucket, 'aws.s3.key': input.key };
      return inSpan('storage upload', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const stored = await streamUpload(input);
        span?.setAttribute('callvault.object.size_bytes', stored.sizeBytes);
        return stored;
      });
    },
    async headObject(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { sizeBytes: Number(head.ContentLength ?? 0), metadata: head.Metadata ?? {} };
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
    async getObjectStream(key, range) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
      return {
        body: object.Body as Readable,
        contentLength: object.ContentLength,
        contentRange: object.ContentRange,
        contentType: object.ContentType,
      };
    },
    async eraseObject(key) {
      const versions = await listKeyVersions(client, bucket, key);
      if (!versions) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        return { versionsDeleted: 1, versionsListed: false };
      }
      // DeleteObjects takes at most 1000 entries per request.
      for (let start = 0; start < versions.length; start += 1000) {
        const answer = await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: versions.slice(start, start + 1000).map((VersionId) => ({ Key: key, VersionId })), Quiet: true },
          }),
        );
        if (answer.Errors?.length) throw new Error(`could not delete ${answer.Errors.length} version(s) of an object: ${answer.Errors[0]?.Code ?? 'unknown'}`);
      }
      return { versionsDeleted: versions.length, versionsListed: true };
    },
    async deleteEverythingUnder(prefix) {
      // A company prefix only, never the bucket: `companies/{uuid}/`.
      if (!/^companies\/[0-9a-f-]{36}\/$/.test(prefix)) throw new Error('deleteEverythingUnder takes a company prefix');
      let deleted = 0;
      for (;;) {
        const batch = await listVersionsUnder(client, bucket, prefix);
        if (batch.length === 0) return deleted;
        for (const ref of batch) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: ref.key, VersionId: ref.versionId }));
        deleted += batch.length;
      }
    },
    async presignGet(key, options) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(options.downloadFilename ? { ResponseContentDisposition: `attachment; filename="${options.downloadFilename}"` } : {}),
        ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
      });
      return getSignedUrl(publicClient, command, { expiresIn: options.expiresInSeconds });
    },
  };
}

/**
 * One page of the versions (and delete markers) under a prefix; a server that keeps no versions
 * (or does not list them: s3rver answers 501) gives its current objects instead.
 */
async function listVersionsUnder(client: S3Client, bucket: string, prefix: string): Promise<Array<{ key: string; versionId?: string }>> {
  try {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
    return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((entry) => entry.Key)
      .map((entry) => ({ key: entry.Key!, ...(entry.VersionId ? { versionId: entry.VersionId } : {}) }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 501 && status !== 405) throw error;
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (page.Contents ?? []).filter((entry) => entry.Key).map((entry) => ({ key: entry.Key! }));
  }
}
