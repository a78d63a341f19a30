import { S3Client } from '@aws-sdk/client-s3';

/**
 * A client for the embedded s3rver a bench or drill starts: its default credentials, and
 * checksums only where the API requires them, as the storage package sends them.
 */
export function embeddedS3Client(endpoint: string): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
