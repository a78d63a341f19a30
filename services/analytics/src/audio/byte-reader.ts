/**
 * Reads a byte stream (an S3 body, a file) in the pieces a container parser needs: exact
 * header fields, skips over chunks it does not care about, and the payload in whatever sizes
 * the source delivers. Only what a caller has asked to see is ever buffered.
 */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;
  /** Bytes handed out or skipped so far: the file offset of the next byte. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Up to `count` bytes from the current position without consuming them (fewer only at the end). */
  async peek(count: number): Promise<Buffer> {
    while (this.pending.length < count && (await this.pull())) {
      // pull() appends to pending
    }
    return this.pending.subarray(0, Math.min(count, this.pending.length));
  }

  /** Exactly `count` bytes, or undefined when the stream ends first. */
  async read(count: number): Promise<Buffer | undefined> {
    const bytes = await this.peek(count);
    if (bytes.length < count) return undefined;
    this.consume(count);
    return bytes;
  }

  /** Skips `count` bytes without keeping them; false when the stream ends first. */
  async skip(count: number): Promise<boolean> {
    let left = count;
    while (left > 0) {
      if (this.pending.length === 0 && !(await this.pull())) return false;
      const step = Math.min(left, this.pending.length);
      this.consume(step);
      left -= step;
    }
    return true;
  }

  /** The next bytes the source has (at most `max`), or undefined at the end of the stream. */
  async next(max = Number.POSITIVE_INFINITY): Promise<Buffer | undefined> {
    if (this.pending.length === 0 && !(await this.pull())) return undefined;
    const step = Math.min(max, this.pending.length);
    const bytes = this.pending.subarray(0, step);
    this.consume(step);
    return bytes;
  }

  /** Releases the source early (e.g. trailing chunks after the audio are of no interest). */
  async close(): Promise<void> {
    this.ended = true;
    await this.source.return?.();
  }

  private consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.position += count;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const { value, done } = await this.source.next();
    if (done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }
}
