/** The bytes are not audio we can decode (corrupt, truncated, or an unsupported encoding): retrying cannot help. */
export class UndecodableAudioError extends Error {
  override name = 'UndecodableAudioError';
}
