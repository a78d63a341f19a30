/**
 * A refusal or failure of a service the transcriber calls over HTTP (a speech-to-text vendor, a
 * model server). `retryable` says whether the same request can succeed later: the job then retries
 * with backoff; otherwise it fails for good and says why.
 */
export abstract class VendorFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 5xx, 408, 409 and 429 can pass on a later try; any other 4xx means the request will never succeed as it is. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 409 || status === 429;
}
