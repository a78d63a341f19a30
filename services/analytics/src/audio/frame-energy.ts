import type { PcmBlock } from './pcm';

// Floor for a frame of digital silence: log10(0) would be -Infinity.
const SILENCE_DB = -100;
const MIN_POWER = 10 ** (SILENCE_DB / 10);

/**
 * Turns a stream of PCM blocks into one level per channel per fixed-length frame (RMS in dBFS,
 * 0 dB = full scale). Frames run across block boundaries; the last partial frame is dropped.
 * Only the levels are kept: 50 floats per channel per second of audio at 20 ms frames.
 */
export class FrameEnergyMeter {
  private readonly sums: Float64Array;
  private filled = 0;
  private levels: Float32Array[];
  private count = 0;

  constructor(
    readonly channels: number,
    readonly frameLength: number,
  ) {
    if (!Number.isInteger(frameLength) || frameLength < 1) throw new RangeError(`frameLength must be a positive integer, got ${frameLength}`);
    this.sums = new Float64Array(channels);
    this.levels = Array.from({ length: channels }, () => new Float32Array(1024));
  }

  push(block: PcmBlock): void {
    if (block.length !== this.channels) throw new RangeError(`expected ${this.channels} channel(s), got ${block.length}`);
    const length = block[0]?.length ?? 0;
    for (let at = 0; at < length; ) {
      const take = Math.min(length - at, this.frameLength - this.filled);
      for (let ch = 0; ch < this.channels; ch++) {
        const samples = block[ch]!;
        let sum = this.sums[ch]!;
        for (let i = at, end = at + take; i < end; i++) sum += samples[i]! * samples[i]!;
        this.sums[ch] = sum;
      }
      at += take;
      this.filled += take;
      if (this.filled === this.frameLength) this.closeFrame();
    }
  }

  /** Levels so far, one array per channel, each `frames` long. */
  finish(): { frames: number; levelsDb: Float32Array[] } {
    return { frames: this.count, levelsDb: this.levels.map((levels) => levels.slice(0, this.count)) };
  }

  private closeFrame(): void {
    if (this.count === this.levels[0]!.length) {
      this.levels = this.levels.map((old) => {
        const grown = new Float32Array(old.length * 2);
        grown.set(old);
        return grown;
      });
    }
    for (let ch = 0; ch < this.channels; ch++) {
      this.levels[ch]![this.count] = 10 * Math.log10(Math.max(this.sums[ch]! / this.frameLength, MIN_POWER));
      this.sums[ch] = 0;
    }
    this.count++;
    this.filled = 0;
  }
}
