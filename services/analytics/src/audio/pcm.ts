/** What a decoder found in the file header, before any sample is read. */
export interface PcmFormat {
  container: 'wav' | 'mp3';
  sampleRate: number;
  channels: number;
}

/** Planar samples scaled to [-1, 1): one array per channel, all of the same length. */
export type PcmBlock = Float32Array[];

export interface DecodedAudio {
  format: PcmFormat;
  /** Yields the audio in file order, a block at a time, so memory does not grow with the recording. */
  blocks: AsyncIterable<PcmBlock>;
}
