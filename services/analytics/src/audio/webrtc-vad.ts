import type { PcmBlock } from './pcm';
import type { DetectorSetup, SpeechDetector } from './speech-detector';

/**
 * WebRTC's voice activity detector (libfvad, compiled to WebAssembly by the Echogarden project):
 * per 20 ms frame, a Gaussian-mixture model of speech and noise over six frequency bands, which
 * adapts its noise model as it goes and holds speech over short pauses. On the speech corpus it
 * beats the energy threshold on white line noise but takes pink noise (a poor line's rumble) for
 * speech, so the worker keeps the energy detector and this one stays for the comparison
 * (bench:analytics, docs/talk-metrics.md).
 */
interface Fvad {
  _fvad_new(): number;
  _fvad_free(instance: number): void;
  _fvad_set_mode(instance: number, mode: number): number;
  _fvad_set_sample_rate(instance: number, sampleRate: number): number;
  _fvad_process(instance: number, frame: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

/**
 * libfvad's aggressiveness, 0 (keeps the most speech) to 3 (drops the most noise). On the speech
 * corpus 2 had the best frame accuracy over the four line-noise levels, 3 a close second; 0 and 1
 * took even more pink noise for speech (docs/talk-metrics.md).
 */
const MODE = 2;
/** Rates libfvad takes; any other is averaged down to 8 kHz frame by frame first. */
const NATIVE_RATES = new Set([8000, 16000, 32000, 48000]);
const FALLBACK_RATE = 8000;

let module: Promise<Fvad> | undefined;

export async function createWebRtcVadDetector({ format, frameLength }: DetectorSetup): Promise<SpeechDetector> {
  // Loaded on first use: a worker on the energy detector never compiles it.
  // @ts-expect-error: the package ships JavaScript without type declarations.
  module ??= import('@echogarden/fvad-wasm').then(({ default: loadFvad }) => loadFvad() as Promise<Fvad>);
  const fvad = await module;
  const native = NATIVE_RATES.has(format.sampleRate);
  const rate = native ? format.sampleRate : FALLBACK_RATE;
  const vadLength = native ? frameLength : Math.round((frameLength * FALLBACK_RATE) / format.sampleRate);
  const channels = Array.from({ length: format.channels }, () => {
    const instance = fvad._fvad_new();
    if (instance === 0 || fvad._fvad_set_mode(instance, MODE) !== 0 || fvad._fvad_set_sample_rate(instance, rate) !== 0) {
      throw new Error(`libfvad refused mode ${MODE} at ${rate} Hz`);
    }
    return { instance, frame: new Float32Array(frameLength), filled: 0, flags: [] as number[] };
  });
  const buffer = fvad._malloc(vadLength * 2);
  let released = false;

  function judge(channel: (typeof channels)[number]): void {
    // HEAP16 is re-read each frame: the view is replaced whenever WebAssembly memory grows.
    const heap = fvad.HEAP16.subarray(buffer / 2, buffer / 2 + vadLength);
    const { frame } = channel;
    const span = frameLength / vadLength;
    for (let i = 0; i < vadLength; i++) {
      // At a native rate span is 1; otherwise each output sample averages the input it covers.
      const from = Math.floor(i * span);
      const to = Math.max(from + 1, Math.floor((i + 1) * span));
      let sum = 0;
      for (let k = from; k < to; k++) sum += frame[k]!;
      heap[i] = Math.max(-32768, Math.min(32767, Math.round((sum / (to - from)) * 32768)));
    }
    const verdict = fvad._fvad_process(channel.instance, buffer, vadLength);
    if (verdict < 0) throw new Error('libfvad rejected a frame');
    channel.flags.push(verdict);
    channel.filled = 0;
  }

  return {
    push(block: PcmBlock) {
      const length = block[0]?.length ?? 0;
      channels.forEach((channel, ch) => {
        const samples = block[ch]!;
        for (let at = 0; at < length; ) {
          const take = Math.min(length - at, frameLength - channel.filled);
          channel.frame.set(samples.subarray(at, at + take), channel.filled);
          channel.filled += take;
          at += take;
          if (channel.filled === frameLength) judge(channel);
        }
      });
    },
    finish: () => channels.map((channel) => Uint8Array.from(channel.flags)),
    close() {
      if (released) return;
      released = true;
      for (const channel of channels) fvad._fvad_free(channel.instance);
      fvad._free(buffer);
    },
  };
}
