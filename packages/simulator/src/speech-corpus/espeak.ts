/**
 * eSpeak NG, compiled to WebAssembly (the Echogarden project's build, from npm): real synthesized
 * speech with no system package and no network. The build is pinned by the lockfile and runs the
 * same code on every machine, so a phrase always comes out as the same samples.
 */
// @ts-expect-error: the package ships JavaScript without type declarations.
import loadEspeak from '@echogarden/espeak-ng-emscripten';

/** eSpeak NG's native output rate. */
export const ESPEAK_SAMPLE_RATE = 22050;

export interface EspeakVoice {
  /** An eSpeak voice identifier, optionally with a variant: `gmw/en-US`, `gmw/en-GB-x-rp+f3`. */
  name: string;
  /** Words per minute. */
  rate: number;
  /** 0-100; 50 is the voice's own pitch. */
  pitch: number;
}

interface EspeakWorker {
  set_voice(name: string): number;
  set_rate(wordsPerMinute: number): void;
  set_pitch(pitch: number): void;
  synthesize(text: string, onChunk: (samples: Int16Array) => boolean): void;
}

let worker: Promise<EspeakWorker> | undefined;

// One instance per process: loading the voice data takes ~0.2 s, synthesis then runs at ~100x real time.
function espeak(): Promise<EspeakWorker> {
  worker ??= (async () => {
    const module = (await loadEspeak()) as { eSpeakNGWorker: new () => EspeakWorker };
    return new module.eSpeakNGWorker();
  })();
  return worker;
}

/** Each text spoken by `voice`, as 16-bit samples at ESPEAK_SAMPLE_RATE, in the order given. */
export async function synthesize(voice: EspeakVoice, texts: readonly string[]): Promise<Int16Array[]> {
  const engine = await espeak();
  if (engine.set_voice(voice.name) !== 0) throw new Error(`eSpeak NG has no voice "${voice.name}"`);
  engine.set_rate(voice.rate);
  engine.set_pitch(voice.pitch);
  return texts.map((text) => {
    const chunks: Int16Array[] = [];
    // Each chunk arrives as a copy out of WebAssembly memory; answering true would stop the phrase.
    engine.synthesize(text, (samples) => {
      if (samples?.length) chunks.push(samples);
      return false;
    });
    const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  });
}
