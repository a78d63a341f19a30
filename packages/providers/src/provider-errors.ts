/** The provider refused the credentials (401/403, or they name another account): they prove nothing. */
export class ProviderRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderRejectedError';
  }
}

/** The provider could not answer usefully (network, timeout, 5xx, 429, an unexpected body): try again later. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** A credential would travel somewhere it must not (plain http off loopback, a scheme downgrade). */
export class InsecureTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsecureTransportError';
  }
}
