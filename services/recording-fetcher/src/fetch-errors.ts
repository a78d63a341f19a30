/** The provider has not finished the media yet (404 shortly after a call): retry with backoff. */
export class MediaNotReadyError extends Error {
  override name = 'MediaNotReadyError';
}

/** Retrying cannot help (forbidden host, 401/403, deleted, encrypted, external storage): fail visibly. */
export class PermanentFetchError extends Error {
  override name = 'PermanentFetchError';
}
