import type { Config } from './load-config';

/** The S3 settings of the config, in the shape `createStorage` takes: every process builds its storage from these. */
export function storageConfigFrom(config: Config) {
  return {
    endpoint: config.S3_ENDPOINT,
    publicEndpoint: config.S3_PUBLIC_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    serverSideEncryption: config.S3_SSE,
    kmsKeyId: config.S3_SSE_KMS_KEY_ID,
  };
}
