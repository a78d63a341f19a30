import { PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Lets the dashboard's origin read recordings from the bucket with fetch (the waveform decodes
 * the bytes; a download keeps its file name): GET and HEAD only, the Range header, and the
 * headers a player and a download need exposed. Playback in an <audio> element alone needs no
 * CORS; reading the bytes from script does. Local and test stacks call this; in production the
 * bucket's CORS is the operator's (docs/operations.md).
 */
export async function allowBrowserReads(storage: { client: S3Client; bucket: string }, origins: string[]): Promise<void> {
  await storage.client.send(
    new PutBucketCorsCommand({
      Bucket: storage.bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: origins,
            AllowedMethods: ['GET', 'HEAD'],
            AllowedHeaders: ['Range'],
            ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'Content-Disposition', 'Content-Type', 'ETag'],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
}
