// Public API of the simulator's synthetic call audio. Internals (PRNG, synth
// tables) stay private so their shapes can change without touching callers.
export { planSpeech, talkSeconds, type SpeechSegment, type SpeechSpec } from './speech-plan';
export { DEFAULT_SAMPLE_RATE, type AudioSpec } from './speech-synth';
export { createWavStream, wavByteSize, WAV_HEADER_BYTES, WAV_CHUNK_BYTES, type WavStream } from './wav-stream';
export { createMp3Stream, mp3BitrateKbps, MP3_SAMPLE_RATES, MP3_DECODED_DELAY_FRAMES, type Mp3Stream } from './mp3-stream';
