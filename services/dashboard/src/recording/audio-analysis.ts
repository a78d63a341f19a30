/** What the page draws from the decoded audio: peaks for the waveform and who talks when. */
export interface AudioPicture {
  durationSeconds: number;
  /** Per channel, the peak of each bucket, 0..1. */
  peaks: number[][];
  /** Per channel, the stretches [start, end) in seconds where its energy is above the floor. */
  talk: Array<Array<[number, number]>>;
}

const FRAME_SECONDS = 0.05;

/**
 * Peaks and talk spans per channel. The call metrics hold totals only (talk ratio, silence,
 * turns), not when each party spoke, so the timeline is read from the audio itself: on a
 * two-channel recording channel 0 is the agent and 1 the customer, as the analytics worker has it.
 */
export function analyseChannels(channels: Float32Array[], sampleRate: number, buckets: number): AudioPicture {
  const length = channels[0]?.length ?? 0;
  const durationSeconds = length / sampleRate;
  const peaks = channels.map((samples) => {
    const out = new Array<number>(buckets).fill(0);
    const size = Math.max(1, Math.floor(samples.length / buckets));
    for (let bucket = 0; bucket < buckets; bucket += 1) {
      let peak = 0;
      const end = Math.min(samples.length, (bucket + 1) * size);
      for (let i = bucket * size; i < end; i += 1) peak = Math.max(peak, Math.abs(samples[i]!));
      out[bucket] = Math.min(1, peak);
    }
    return out;
  });
  const frame = Math.max(1, Math.round(FRAME_SECONDS * sampleRate));
  const talk = channels.map((samples) => {
    const energies: number[] = [];
    for (let start = 0; start < samples.length; start += frame) {
      let sum = 0;
      const end = Math.min(samples.length, start + frame);
      for (let i = start; i < end; i += 1) sum += samples[i]! * samples[i]!;
      energies.push(Math.sqrt(sum / Math.max(1, end - start)));
    }
    // The floor adapts to the recording: a fraction of its loud frames, never below line noise.
    const sorted = [...energies].sort((a, b) => a - b);
    const loud = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    const floor = Math.max(0.01, loud * 0.15);
    const spans: Array<[number, number]> = [];
    energies.forEach((energy, index) => {
      if (energy < floor) return;
      const at = index * FRAME_SECONDS;
      const last = spans[spans.length - 1];
      // Gaps under a quarter second are pauses inside one turn, not two turns.
      if (last && at - last[1] < 0.25) last[1] = at + FRAME_SECONDS;
      else spans.push([at, at + FRAME_SECONDS]);
    });
    return spans;
  });
  return { durationSeconds, peaks, talk };
}
